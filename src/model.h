/*
 * model.h -- the Store API's kinds of object and roles, as tables.
 *
 * Both the client core and the reference store use these tables; they are the
 * single truth for a kind's feed name, path, id prefix and who may read it.
 */
#ifndef SD_MODEL_H
#define SD_MODEL_H

enum sd_kind {
	KIND_ORDER,
	KIND_TICKET,
	KIND_CONVERSATION,
	KIND_MESSAGE,
	KIND_PRODUCT,
	KIND_SKU,
	KIND_PROMOTION,
	KIND_CUSTOMER,
	KIND_CANNED_REPLY,
	KIND_USER,
	KIND_CATEGORY,
	KIND__COUNT
};

enum sd_role {
	ROLE_ADMIN,
	ROLE_OPS,
	ROLE_FINANCE,
	ROLE_AGENT,
	ROLE_WAREHOUSE,
	ROLE__COUNT
};

struct kind_info {
	enum sd_kind	 kind;
	const char	*name;		/* in the change feed: "order" */
	const char	*path;		/* in URLs: "orders" */
	const char	*prefix;	/* id prefix: "SO" */
	const char	*table;		/* cache table: "orders" */
	const char	*cli;		/* CLI noun, or NULL: "orders" */
	unsigned	 readers;	/* bit mask of roles that may read it */
};

const struct kind_info *kind_info(enum sd_kind);
/* -1 when unknown. */
int	 kind_from_name(const char *);
int	 kind_from_path(const char *);

const char *role_name(enum sd_role);
/* -1 when unknown. */
int	 role_from_name(const char *);
int	 role_can_read(enum sd_role, enum sd_kind);
/* Whether responses to this role carry masked personal data. */
int	 role_masks_pii(enum sd_role);

/*
 * Carriers: code ("SF"), Chinese and English names, and the other names
 * people type for it ("顺丰"). The Store API takes the code only.
 */
struct carrier_info {
	const char	*code;
	const char	*name_zh;
	const char	*name_en;
	const char	*aliases[4];	/* NULL-terminated unless all four are used */
};
extern const struct carrier_info carriers[];
/* By code, in any case: what the store accepts. */
const struct carrier_info *carrier_find(const char *code);
/*
 * By code or any of its names, as typed (text_name_eq: case, '-', '_' and
 * blanks aside): "sf", "顺丰", "SF Express" are all SF. For what people type.
 */
const struct carrier_info *carrier_resolve(const char *name);

/* Mask a mainland phone number "13812341234" -> "138****1234" into out[32]. */
void	 mask_phone(const char *phone, char *out, unsigned outlen);



/*
 * Mask personal data in obj (a whole object of kind k) in place: phone
 * numbers as 138****1234, the street line of addresses removed (district
 * level kept), e-mail as z***@example.com. Used by the store for roles that
 * get masked data and by the client for what it shows by default.
 */
struct cJSON;
void	 model_mask_object(enum sd_kind k, struct cJSON *obj);

/*
 * Whether an object in status (of ticket kind, or NULL) is in the state list
 * spec, the contract's notation shared by the store and the client's action
 * tables: "*" any state; "a b" one of these; "!a b" none of these; a token
 * "kind:state" matches only tickets of that kind. NULL spec: never.
 */
int	 model_state_matches(const char *spec, const char *kind, const char *status);

/*
 * Canned replies (快捷回复), as the contract defines them and both the store
 * and the client check them before a reply is saved: a shortcut is 1 to 32
 * characters without blanks, '/', ':', ',', '{' or '}' (an agent types it
 * after '/', with ":lang" after it); the languages are canned_langs[]; a
 * body's placeholders are canned_placeholders[], each "{name}".
 */
#define CANNED_SHORTCUT_MAX	32
#define CANNED_TITLE_MAX	60
#define CANNED_BODY_MAX		2000
extern const char *const canned_langs[];
extern const char *const canned_placeholders[];
/* Why shortcut is not one, or NULL; caller frees. */
char	*model_canned_shortcut_problem(const char *shortcut);
/*
 * Every problem of body's braces, "; "-separated and each naming what is at
 * fault (an unknown placeholder "{foo}", a '{' not closed, a '}' not opened),
 * or NULL when it has none; caller frees. *first (may be NULL) receives the
 * first offending text ("{foo}", "{", "}"), caller frees.
 */
char	*model_canned_body_problems(const char *body, char **first);
#endif
