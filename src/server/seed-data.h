/*
 * seed-data.h -- the tables behind the reference store's seed data.
 *
 * Names, places, products, dialogue, reasons, canned replies, promotions
 * and the after-sales state machines that seed.c and seed-live.c draw from,
 * plus the few types and functions the two share. Every
 * table is static const: a file that includes this and leaves a table
 * unused pays nothing for it. The data is fictional; e-mail addresses use
 * the reserved example domains.
 */
#ifndef SD_SERVER_SEED_DATA_H
#define SD_SERVER_SEED_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "server/store.h"
#include "util/buf.h"

#define SEED_NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* --- shared between seed.c and seed-live.c ------------------------------- */

/* A customer as the seed derives it from (seed, index). */
struct seed_cust {
	char		 id[24];
	char		 name[48];
	char		 phone[12];
	char		 email[64];
	const char	*level;
	const char	*province;
	const char	*city;
	const char	*district;
	char		 line[96];
	time_t		 signup;
};

/* Uniform integer in [0, n); n > 0. */
uint64_t seed_rnd(uint64_t *, uint64_t n);
/* Uniform integer in [lo, hi]. */
long long seed_range(uint64_t *, long long lo, long long hi);
/* True with probability pct percent. */
int	 seed_chance(uint64_t *, int pct);
/* Index in [0, n) chosen by integer weights. */
int	 seed_pick_w(uint64_t *, const int *w, int n);
/* Index in [0, n) skewed to the front (the smaller of two draws). */
long	 seed_skewed(uint64_t *, long n);
/* n random decimal digits and a NUL into out. */
void	 seed_digits(uint64_t *, char *out, int n);
/* Derive the customer of index i (0-based) for a data set seed. */
void	 seed_cust_make(uint64_t seed, long i, time_t now, struct seed_cust *);
/* Append t as a quoted RFC 3339 UTC timestamp. */
void	 seed_add_time(struct buf *, time_t);
/* Append a JSON string, quotes included (fast path for plain text). */
void	 seed_add_str(struct buf *, const char *);
/* Append a decimal integer. */
void	 seed_add_int(struct buf *, long long);
/* A plausible tracking number for carrier code into out[32]. */
void	 seed_tracking_no(uint64_t *, const char *carrier, char *out);
/* The first n characters (UTF-8) of s into out[outlen]. */
void	 seed_preview(const char *s, size_t n, char *out, size_t outlen);

/* Per customer, what the orders taught (seed.c fills it). */
struct seed_custstat {
	int		 orders;
	int		 last_order;	/* order number - 10000000, 0 = none */
	long long	 spent;
	time_t		 first, last;
};

/* What seed.c hands the writers in seed-live.c. */
struct seed_ctx {
	struct store	*st;
	struct buf	*b;		/* scratch buffer for the JSON */
	uint64_t	*r;		/* the data set's RNG */
	uint64_t	 seed;
	time_t		 now;
	long		 nconv, ncust;
	const struct seed_custstat *cs;
	/* Insert b's JSON as (kind, id) in the running transaction. */
	void		(*put)(void *, enum sd_kind, const char *, long long);
	void		*arg;
};
/* Users (with their tokens) and canned replies. */
void	 seed_staff(struct seed_ctx *);
/* Customers, with the counters of their orders. */
void	 seed_customers(struct seed_ctx *);
/* Conversations with their messages. */
void	 seed_chats(struct seed_ctx *);

/* JSON writers over struct buf; each seed_kv_* appends ,"key":value. */
void	 seed_kv_str(struct buf *, const char *key, const char *v);	/* NULL: null */
void	 seed_kv_int(struct buf *, const char *key, long long v);
void	 seed_kv_time(struct buf *, const char *key, time_t t);	/* 0: null */
/* Reset b and start {"id":..,"version":..,"created_at":..,"updated_at":.. */
void	 seed_obj_head(struct buf *, const char *id, long long version,
	     time_t created, time_t updated);

/* Remember ids the live activity starts from (seed.c fills, seed-live.c uses). */
enum seed_live_list {
	LIVE_PENDING,		/* orders awaiting payment */
	LIVE_DELIVERED,		/* recently delivered orders, for tickets */
	LIVE_CONV,		/* conversations a customer may write in */
	LIVE__COUNT
};
void	 seed_live_note(enum seed_live_list, const char *id);
/* Data set parameters the live activity needs. */
void	 seed_live_setup(uint64_t seed, long ncust);

/* Users: U1.. in this order; the contract's example has agent1 as U3. */
static const struct seed_user {
	const char	*login;
	const char	*name;
	enum sd_role	 role;
	const char	*queues;
	int		 online;
} seed_users[] = {
	{ "admin", "系统管理员", ROLE_ADMIN, NULL, 1 },
	{ "ops1", "王芳", ROLE_OPS, NULL, 1 },
	{ "agent1", "李客服", ROLE_AGENT, "presales|aftersales", 1 },
	{ "agent2", "陈小美", ROLE_AGENT, "presales|vip", 1 },
	{ "agent3", "赵婷", ROLE_AGENT, "aftersales", 1 },
	{ "agent4", "周晓峰", ROLE_AGENT, "aftersales|vip", 0 },
	{ "fin1", "刘洋", ROLE_FINANCE, NULL, 1 },
	{ "wh1", "孙强", ROLE_WAREHOUSE, NULL, 1 },
	{ "wh2", "马力", ROLE_WAREHOUSE, NULL, 0 },
};
#define SEED_AGENT_FIRST	3	/* U3..U6 are agents */
#define SEED_NAGENTS		4

/* --- after-sales state machines (seed.c plans, seed-live.c writes) -------- */

enum tkind {
	TK_REFUND_ONLY, TK_RETURN_REFUND, TK_EXCHANGE, TK_REPAIR, TK_RESHIP,
	TK_COMPLAINT, TK_LOGISTICS, TK__COUNT
};
static const char *const tkind_names[TK__COUNT] = {
	"refund_only", "return_refund", "exchange", "repair", "reship",
	"complaint", "logistics"
};
enum tstate {
	TS_REQUESTED, TS_APPROVED, TS_REJECTED, TS_AWAITING_RETURN, TS_RECEIVED,
	TS_REFUNDED, TS_EXCHANGED, TS_RESHIPPED, TS_IN_PROGRESS, TS_PROPOSED,
	TS_RESOLVED, TS_CLOSED, TS__COUNT
};
static const char *const tstate_names[TS__COUNT] = {
	"requested", "approved", "rejected", "awaiting_return", "received",
	"refunded", "exchanged", "reshipped", "in_progress", "proposed",
	"resolved", "closed"
};

/* One step of a ticket's path: the state reached, the action, its delay. */
struct tstep {
	unsigned char	 state;
	const char	*action;	/* NULL ends the path */
	int		 lo, hi;	/* minutes after the previous step */
	char		 who;		/* c customer, a agent, w warehouse, f refund */
};
#define T_CREATE	{ TS_REQUESTED, "create", 0, 0, 'c' }
#define T_REVIEW(s, a)	{ s, a, 5, 200, 'a' }
#define T_CLOSE		{ TS_CLOSED, "close", 1440, 4320, 'a' }
#define T_REJECT	{ T_CREATE, T_REVIEW(TS_REJECTED, "reject"), \
			  { TS_CLOSED, "close", 1440, 2880, 'a' } }

/* [kind][0] the normal path, [kind][1] the rejected one (if any). */
static const struct tstep tpaths[TK__COUNT][2][6] = {
	[TK_REFUND_ONLY] = { { T_CREATE, T_REVIEW(TS_APPROVED, "approve"),
	    { TS_REFUNDED, "refund", 10, 720, 'f' }, T_CLOSE }, T_REJECT },
	[TK_RETURN_REFUND] = { { T_CREATE, T_REVIEW(TS_AWAITING_RETURN, "approve"),
	    { TS_RECEIVED, "receive", 240, 1200, 'w' },
	    { TS_REFUNDED, "refund", 30, 240, 'f' }, T_CLOSE }, T_REJECT },
	[TK_EXCHANGE] = { { T_CREATE, T_REVIEW(TS_AWAITING_RETURN, "approve"),
	    { TS_RECEIVED, "receive", 240, 1200, 'w' },
	    { TS_EXCHANGED, "exchange", 60, 600, 'w' }, T_CLOSE }, T_REJECT },
	[TK_REPAIR] = { { T_CREATE, T_REVIEW(TS_AWAITING_RETURN, "approve"),
	    { TS_RECEIVED, "receive", 240, 1200, 'w' },
	    { TS_EXCHANGED, "exchange", 240, 2160, 'w' }, T_CLOSE }, T_REJECT },
	[TK_RESHIP] = { { T_CREATE, T_REVIEW(TS_APPROVED, "approve"),
	    { TS_RESHIPPED, "reship", 60, 1440, 'w' }, T_CLOSE }, T_REJECT },
	[TK_COMPLAINT] = { { T_CREATE, { TS_IN_PROGRESS, "start", 5, 55, 'a' },
	    { TS_PROPOSED, "propose", 60, 1440, 'a' },
	    { TS_RESOLVED, "resolve", 60, 1440, 'a' }, T_CLOSE } },
	[TK_LOGISTICS] = { { T_CREATE, { TS_IN_PROGRESS, "start", 10, 100, 'a' },
	    { TS_RESOLVED, "resolve", 120, 1800, 'a' }, T_CLOSE } },
};

/* SLA targets in hours, as actions-ticket.c sets them. */
static const struct {
	int	 first, resolve, approved;
} tsla[TK__COUNT] = {
	{ 4, 72, 24 }, { 4, 72, 24 }, { 4, 72, 24 }, { 4, 72, 24 }, { 4, 72, 24 },
	{ 1, 48, 0 }, { 2, 24, 0 },
};

static const char *const approve_notes[] = {
	"同意，请在7天内寄回", "同意处理", "已核实，同意", "OK, approved",
};
static const char *const reject_notes[] = {
	"商品已使用，不符合退货条件", "超过售后期限", "未提供有效凭证",
	"经核实商品无质量问题",
};
static const char *const propose_notes[] = {
	"补偿20元无门槛券并致歉", "退还运费并赠送积分500", "补发赠品并致歉",
};
static const char *const resolve_notes[] = {
	"快递已重新派送", "已与快递核实，包裹已找回", "客户接受方案",
	"Parcel located and delivered",
};
static const char *const escalate_notes[] = {
	"客户情绪激动，升级主管处理", "客户表示要投诉到平台，需加急",
};

/* A planned ticket, written after the orders. */
struct seed_tplan {
	long		 order_no;
	long		 cust;
	unsigned char	 kind, variant, reached, nsteps, agent, prio, esc;
	time_t		 at[6];		/* time of each step; at[0] created */
	time_t		 assign_at, esc_at;
	long long	 requested, refund;
	int		 prod;		/* product the ticket is about */
	time_t		 tracking_seed;
};
/* Write the planned tickets AS1000001... in order. */
void	 seed_tickets(struct seed_ctx *, const struct seed_tplan *, long);

/* --- people ---------------------------------------------------------------- */

/* Common surnames, most frequent first, with pinyin for e-mail addresses. */
static const struct {
	const char	*zh;
	const char	*py;
} seed_surnames[] = {
	{ "王", "wang" }, { "李", "li" }, { "张", "zhang" }, { "刘", "liu" },
	{ "陈", "chen" }, { "杨", "yang" }, { "黄", "huang" }, { "赵", "zhao" },
	{ "吴", "wu" }, { "周", "zhou" }, { "徐", "xu" }, { "孙", "sun" },
	{ "马", "ma" }, { "朱", "zhu" }, { "胡", "hu" }, { "郭", "guo" },
	{ "何", "he" }, { "高", "gao" }, { "林", "lin" }, { "罗", "luo" },
	{ "郑", "zheng" }, { "梁", "liang" }, { "谢", "xie" }, { "宋", "song" },
	{ "唐", "tang" }, { "许", "xu" }, { "韩", "han" }, { "冯", "feng" },
	{ "邓", "deng" }, { "曹", "cao" }, { "彭", "peng" }, { "曾", "zeng" },
	{ "肖", "xiao" }, { "田", "tian" }, { "董", "dong" }, { "袁", "yuan" },
	{ "潘", "pan" }, { "于", "yu" }, { "蒋", "jiang" }, { "蔡", "cai" },
	{ "余", "yu" }, { "杜", "du" }, { "叶", "ye" }, { "程", "cheng" },
	{ "苏", "su" }, { "魏", "wei" }, { "吕", "lv" }, { "丁", "ding" },
	{ "任", "ren" }, { "沈", "shen" }, { "姚", "yao" }, { "卢", "lu" },
	{ "姜", "jiang" }, { "崔", "cui" }, { "钟", "zhong" }, { "谭", "tan" },
	{ "陆", "lu" }, { "汪", "wang" }, { "范", "fan" }, { "金", "jin" },
	{ "石", "shi" }, { "廖", "liao" }, { "贾", "jia" }, { "夏", "xia" },
	{ "韦", "wei" }, { "付", "fu" }, { "方", "fang" }, { "白", "bai" },
	{ "邹", "zou" }, { "孟", "meng" }, { "熊", "xiong" }, { "秦", "qin" },
	{ "邱", "qiu" }, { "江", "jiang" }, { "尹", "yin" }, { "薛", "xue" },
	{ "闫", "yan" }, { "段", "duan" }, { "雷", "lei" }, { "侯", "hou" },
	{ "龙", "long" }, { "史", "shi" }, { "陶", "tao" }, { "黎", "li" },
	{ "贺", "he" }, { "顾", "gu" }, { "毛", "mao" }, { "郝", "hao" },
	{ "龚", "gong" }, { "邵", "shao" }, { "万", "wan" }, { "钱", "qian" },
	{ "严", "yan" }, { "武", "wu" }, { "戴", "dai" }, { "莫", "mo" },
	{ "孔", "kong" }, { "汤", "tang" }, { "欧阳", "ouyang" },
	{ "司马", "sima" }, { "上官", "shangguan" }, { "诸葛", "zhuge" },
};

/* Given names, one or two characters. */
static const struct {
	const char	*zh;
	const char	*py;
} seed_given[] = {
	{ "伟", "wei" }, { "芳", "fang" }, { "娜", "na" }, { "秀英", "xiuying" },
	{ "敏", "min" }, { "静", "jing" }, { "丽", "li" }, { "强", "qiang" },
	{ "磊", "lei" }, { "军", "jun" }, { "洋", "yang" }, { "勇", "yong" },
	{ "艳", "yan" }, { "杰", "jie" }, { "娟", "juan" }, { "涛", "tao" },
	{ "明", "ming" }, { "超", "chao" }, { "秀兰", "xiulan" }, { "霞", "xia" },
	{ "平", "ping" }, { "刚", "gang" }, { "桂英", "guiying" }, { "小明", "xiaoming" },
	{ "三丰", "sanfeng" }, { "子涵", "zihan" }, { "浩然", "haoran" },
	{ "梓萱", "zixuan" }, { "一诺", "yinuo" }, { "欣怡", "xinyi" },
	{ "宇轩", "yuxuan" }, { "思远", "siyuan" }, { "雨桐", "yutong" },
	{ "晨曦", "chenxi" }, { "佳怡", "jiayi" }, { "俊杰", "junjie" },
	{ "嘉怡", "jiayi" }, { "梦琪", "mengqi" }, { "志强", "zhiqiang" },
	{ "建华", "jianhua" }, { "国栋", "guodong" }, { "海燕", "haiyan" },
	{ "晓峰", "xiaofeng" }, { "文博", "wenbo" }, { "诗涵", "shihan" },
	{ "子轩", "zixuan" }, { "若曦", "ruoxi" }, { "家豪", "jiahao" },
	{ "天佑", "tianyou" }, { "婷", "ting" }, { "慧", "hui" }, { "琳", "lin" },
	{ "欣", "xin" }, { "博", "bo" }, { "鹏", "peng" }, { "宁", "ning" },
	{ "晓燕", "xiaoyan" }, { "丽华", "lihua" }, { "建国", "jianguo" },
	{ "红梅", "hongmei" }, { "春生", "chunsheng" }, { "美玲", "meiling" },
	{ "雪", "xue" }, { "颖", "ying" }, { "昊", "hao" }, { "凯", "kai" },
	{ "思琪", "siqi" }, { "语嫣", "yuyan" }, { "泽宇", "zeyu" },
	{ "明轩", "mingxuan" }, { "晓东", "xiaodong" }, { "丹", "dan" },
	{ "倩", "qian" }, { "瑶", "yao" }, { "亮", "liang" }, { "斌", "bin" },
	{ "玉兰", "yulan" }, { "建军", "jianjun" }, { "小红", "xiaohong" },
	{ "大伟", "dawei" }, { "安琪", "anqi" }, { "可馨", "kexin" },
};

/* English given names and family names (about 15 % of customers). */
static const char *const seed_en_given[] = {
	"Emily", "David", "Sophie", "Michael", "Jessica", "Kevin", "Grace",
	"Jason", "Linda", "Tony", "Vivian", "Eric", "Cindy", "Jack", "Amy",
	"Peter", "Helen", "Vincent", "Angela", "Ryan", "Iris", "Leo", "Nina",
	"Oscar", "Chloe", "Henry", "Olivia", "Sam", "Tina", "Frank",
};
static const char *const seed_en_family[] = {
	"Chen", "Wang", "Li", "Zhang", "Liu", "Lin", "Huang", "Wu", "Zhou",
	"Smith", "Brown", "Taylor", "Lee", "Ho", "Wong", "Cheung", "Tan",
	"Miller", "Ng", "Lau",
};

static const char *const seed_email_domains[] = {
	"example.com", "example.cn", "example.net", "example.org",
};

/* Mainland mobile prefixes (1[3-9]x). */
static const char *const seed_phone_prefix[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159", "166",
	"170", "173", "175", "176", "177", "178", "180", "181", "182", "183",
	"184", "185", "186", "187", "188", "189", "191", "195", "198", "199",
};

/* --- places ---------------------------------------------------------------- */

/* Province, city and four of its districts; more populous first. */
static const struct {
	const char	*province;
	const char	*city;
	const char	*district[4];
} seed_geo[] = {
	{ "广东省", "深圳市", { "南山区", "福田区", "宝安区", "龙岗区" } },
	{ "上海市", "上海市", { "浦东新区", "徐汇区", "静安区", "闵行区" } },
	{ "北京市", "北京市", { "朝阳区", "海淀区", "东城区", "丰台区" } },
	{ "浙江省", "杭州市", { "西湖区", "滨江区", "余杭区", "拱墅区" } },
	{ "广东省", "广州市", { "天河区", "越秀区", "海珠区", "番禺区" } },
	{ "江苏省", "南京市", { "鼓楼区", "玄武区", "江宁区", "建邺区" } },
	{ "四川省", "成都市", { "武侯区", "锦江区", "青羊区", "成华区" } },
	{ "江苏省", "苏州市", { "姑苏区", "吴中区", "相城区", "吴江区" } },
	{ "湖北省", "武汉市", { "武昌区", "洪山区", "江汉区", "汉阳区" } },
	{ "重庆市", "重庆市", { "渝中区", "江北区", "南岸区", "沙坪坝区" } },
	{ "陕西省", "西安市", { "雁塔区", "碑林区", "未央区", "长安区" } },
	{ "天津市", "天津市", { "和平区", "南开区", "河西区", "滨海新区" } },
	{ "山东省", "青岛市", { "市南区", "崂山区", "李沧区", "黄岛区" } },
	{ "浙江省", "宁波市", { "海曙区", "鄞州区", "江北区", "北仑区" } },
	{ "湖南省", "长沙市", { "岳麓区", "芙蓉区", "天心区", "雨花区" } },
	{ "福建省", "厦门市", { "思明区", "湖里区", "集美区", "海沧区" } },
	{ "河南省", "郑州市", { "金水区", "二七区", "中原区", "管城回族区" } },
	{ "山东省", "济南市", { "历下区", "市中区", "槐荫区", "天桥区" } },
	{ "安徽省", "合肥市", { "蜀山区", "包河区", "庐阳区", "瑶海区" } },
	{ "辽宁省", "沈阳市", { "和平区", "沈河区", "皇姑区", "铁西区" } },
	{ "云南省", "昆明市", { "五华区", "盘龙区", "官渡区", "西山区" } },
	{ "江西省", "南昌市", { "东湖区", "西湖区", "青山湖区", "红谷滩区" } },
	{ "河北省", "石家庄市", { "长安区", "桥西区", "新华区", "裕华区" } },
	{ "黑龙江省", "哈尔滨市", { "南岗区", "道里区", "香坊区", "松北区" } },
	{ "广西壮族自治区", "南宁市", { "青秀区", "兴宁区", "西乡塘区", "江南区" } },
	{ "贵州省", "贵阳市", { "南明区", "云岩区", "观山湖区", "花溪区" } },
	{ "新疆维吾尔自治区", "乌鲁木齐市", { "天山区", "沙依巴克区", "新市区", "水磨沟区" } },
	{ "海南省", "海口市", { "龙华区", "美兰区", "秀英区", "琼山区" } },
};

static const char *const seed_streets[] = {
	"文三路", "中山路", "人民路", "解放路", "建设路", "和平路", "南京路",
	"长江路", "黄河路", "学院路", "科技路", "新华路", "东风路", "幸福路",
	"青年路", "滨江大道", "世纪大道", "高新大道", "创业路", "花园街",
	"朝阳北路", "金融街", "丰收路", "明珠路", "望江路", "天府大道",
};

static const char *const seed_estates[] = {
	"阳光花园", "翠湖苑", "锦绣家园", "万科城", "绿地中心", "金色港湾",
	"碧桂园", "书香门第", "滨江花园", "华府天地", "星河湾", "紫荆公寓",
};

/* --- catalogue ------------------------------------------------------------- */

/*
 * A product: up to two attributes with "|"-separated values; SKUs are the
 * combinations (at most six). price is the base in fen; step is added per
 * index of the first attribute's value (capacity, size of a pack).
 */
struct seed_pdef {
	const char	*title;
	const char	*category;
	const char	*brand;
	int		 price;
	int		 step;
	const char	*a1;
	const char	*v1;
	const char	*a2;
	const char	*v2;
};

static const struct seed_pdef seed_products[] = {
	{ "纯棉圆领T恤", "男装", "优衣", 12900, 0, "颜色", "白色|黑色|灰色", "尺码", "M|L|XL" },
	{ "修身牛仔裤", "男装", "Levi's", 39900, 0, "颜色", "深蓝|浅蓝", "尺码", "29|31|33" },
	{ "轻薄羽绒服", "女装", "波司登", 59900, 0, "颜色", "黑色|藏青|米白", "尺码", "M|L" },
	{ "法兰绒格子衬衫", "男装", "优衣", 19900, 0, "颜色", "红格|蓝格", "尺码", "S|M|L" },
	{ "连帽卫衣", "男装", "Champion", 29900, 0, "颜色", "灰色|黑色", "尺码", "M|L|XL" },
	{ "真丝睡衣套装", "女装", "Ubras", 45900, 0, "颜色", "香槟|雾蓝", "尺码", "M|L" },
	{ "羊毛混纺围巾", "配饰", "鄂尔多斯", 26900, 0, "颜色", "驼色|酒红|深灰", NULL, NULL },
	{ "运动速干短裤", "运动服", "Nike", 19900, 0, "颜色", "黑色|蓝色", "尺码", "M|L|XL" },
	{ "缓震跑步鞋", "运动鞋", "李宁", 49900, 0, "颜色", "白色|黑色", "尺码", "40|41|42" },
	{ "帆布板鞋", "休闲鞋", "回力", 8900, 0, "颜色", "白色|黑色", "尺码", "38|40|42" },
	{ "防水登山靴", "户外鞋", "骆驼", 39900, 0, "颜色", "卡其", "尺码", "40|41|42|43" },
	{ "无线蓝牙耳机", "耳机", "Anker", 29900, 0, "颜色", "黑色|白色", NULL, NULL },
	{ "65W氮化镓充电器", "充电配件", "Anker", 14900, 0, "接口", "2C1A|3C", NULL, NULL },
	{ "移动电源 20000mAh", "充电配件", "小米", 12900, 0, "颜色", "黑色|银色", NULL, NULL },
	{ "机械键盘", "键盘", "Logitech", 59900, 0, "轴体", "红轴|青轴|茶轴", NULL, NULL },
	{ "无线鼠标", "鼠标", "Logitech", 9900, 0, "颜色", "石墨黑|珍珠白", NULL, NULL },
	{ "智能手环", "智能穿戴", "华为", 26900, 0, "颜色", "曜石黑|樱花粉|薄荷绿", NULL, NULL },
	{ "固态硬盘", "存储", "Samsung", 39900, 30000, "容量", "512GB|1TB|2TB", NULL, NULL },
	{ "U盘 USB3.2", "存储", "SanDisk", 4900, 3000, "容量", "64GB|128GB|256GB", NULL, NULL },
	{ "平板电脑", "平板阅读", "Apple", 379900, 100000, "容量", "64GB|256GB", "颜色", "深空灰|银色" },
	{ "智能手机", "手机", "小米", 199900, 50000, "容量", "128GB|256GB|512GB", "颜色", "黑色|白色" },
	{ "降噪头戴耳机", "耳机", "Sony", 229900, 0, "颜色", "黑色|铂金银", NULL, NULL },
	{ "电热水壶", "厨房电器", "美的", 12900, 0, "容量", "1.5L|1.7L", NULL, NULL },
	{ "空气炸锅", "厨房电器", "九阳", 29900, 5000, "容量", "4L|5.5L", "颜色", "白色|墨绿" },
	{ "扫地机器人", "清洁电器", "科沃斯", 199900, 0, "型号", "T20|T20 Pro", NULL, NULL },
	{ "电动牙刷", "个护电器", "Philips", 39900, 0, "颜色", "白色|粉色|黑色", NULL, NULL },
	{ "吹风机", "个护电器", "戴森", 299900, 0, "颜色", "紫红|藏青", NULL, NULL },
	{ "破壁料理机", "厨房电器", "九阳", 49900, 0, "颜色", "白色", NULL, NULL },
	{ "每日坚果", "休闲零食", "三只松鼠", 12900, 8000, "规格", "30包|60包", NULL, NULL },
	{ "手撕牛肉干", "休闲零食", "良品铺子", 5990, 0, "口味", "五香|麻辣|沙爹", NULL, NULL },
	{ "东北大米", "粮油调味", "五常", 6990, 3000, "规格", "5kg|10kg", NULL, NULL },
	{ "挂耳咖啡", "咖啡茶饮", "Starbucks", 8900, 0, "口味", "中度烘焙|深度烘焙", NULL, NULL },
	{ "龙井绿茶 250g", "咖啡茶饮", "西湖", 29800, 0, "等级", "一级|特级", NULL, NULL },
	{ "低脂牛奶 250ml×24", "牛奶乳品", "伊利", 6990, 0, "口味", "原味|高钙", NULL, NULL },
	{ "螺蛳粉", "休闲零食", "好欢螺", 3990, 0, "口味", "原味|加辣|超辣", NULL, NULL },
	{ "黑巧克力礼盒", "休闲零食", "Lindt", 15900, 0, "口味", "70%|85%|海盐", NULL, NULL },
	{ "蜂蜜 500g", "粮油调味", "百花", 5900, 0, "品种", "槐花蜜|枣花蜜", NULL, NULL },
	{ "保湿面霜", "护肤", "珀莱雅", 26900, 0, "规格", "50g", NULL, NULL },
	{ "防晒霜 SPF50", "护肤", "安热沙", 19800, 0, "规格", "60ml|90ml", NULL, NULL },
	{ "口红", "彩妆", "完美日记", 7900, 0, "色号", "01 正红|02 豆沙|03 枫叶", NULL, NULL },
	{ "洁面乳", "护肤", "CeraVe", 11900, 0, "规格", "236ml|473ml", NULL, NULL },
	{ "精华液", "护肤", "Estée Lauder", 89000, 0, "规格", "30ml|50ml", NULL, NULL },
	{ "婴儿纸尿裤", "尿裤湿巾", "花王", 14900, 0, "尺码", "S|M|L|XL", NULL, NULL },
	{ "婴儿湿巾 80抽×6", "尿裤湿巾", "全棉时代", 5990, 0, "规格", "6包", NULL, NULL },
	{ "儿童保温杯", "儿童用品", "膳魔师", 19900, 0, "颜色", "粉色|蓝色", NULL, NULL },
	{ "积木拼装玩具", "玩具", "LEGO", 59900, 0, "系列", "城市|机械组", NULL, NULL },
	{ "记忆棉枕头", "床品", "网易严选", 19900, 0, "规格", "标准|加高", NULL, NULL },
	{ "四件套 纯棉", "床品", "罗莱", 49900, 0, "颜色", "灰蓝|奶白|豆绿", "尺寸", "1.5m|1.8m" },
	{ "收纳箱 三件套", "收纳", "禧天龙", 8900, 0, "颜色", "透明|灰色", NULL, NULL },
	{ "香薰蜡烛", "家饰香薰", "MUJI", 12900, 0, "香型", "白茶|雪松|无花果", NULL, NULL },
	{ "不粘炒锅", "厨具", "苏泊尔", 25900, 0, "尺寸", "30cm|32cm", NULL, NULL },
	{ "LED台灯", "灯具", "Yeelight", 16900, 0, "颜色", "白色|黑色", NULL, NULL },
	{ "瑜伽垫", "健身器材", "Keep", 9900, 0, "颜色", "紫色|蓝色|黑色", NULL, NULL },
	{ "哑铃 可调节", "健身器材", "迪卡侬", 39900, 0, "重量", "10kg|20kg", NULL, NULL },
	{ "跳绳 计数款", "健身器材", "Keep", 4900, 0, "颜色", "黑色|粉色", NULL, NULL },
	{ "羽毛球拍", "球类", "Yonex", 49900, 0, "颜色", "蓝色|红色", NULL, NULL },
	{ "三体 全三册", "文学", "重庆出版社", 9300, 0, "版本", "平装|精装", NULL, NULL },
	{ "活着", "文学", "作家出版社", 4500, 0, "版本", "平装", NULL, NULL },
	{ "The C Programming Language", "计算机", "机械工业出版社", 6900, 0, "版本", "英文版|中文版", NULL, NULL },
	{ "Kindle 电子书阅读器", "平板阅读", "Amazon", 99900, 0, "容量", "16GB|32GB", NULL, NULL },
};

/*
 * The category tree, parents before children: name and the index of the
 * parent (-1: top level). Ids are CG101 onwards in this order; a product's
 * category above is the name of a leaf here (names of leaves are unique).
 */
struct seed_cdef {
	const char	*name;
	int		 parent;
};

static const struct seed_cdef seed_categories[] = {
	{ "服装", -1 }, { "鞋靴", -1 }, { "手机数码", -1 }, { "家用电器", -1 },
	{ "食品饮料", -1 }, { "美妆护肤", -1 }, { "母婴", -1 }, { "家居", -1 },
	{ "运动户外", -1 }, { "图书", -1 },
	/* 10 */
	{ "男装", 0 }, { "女装", 0 }, { "配饰", 0 },
	{ "运动鞋", 1 }, { "休闲鞋", 1 }, { "户外鞋", 1 },
	{ "手机", 2 }, { "耳机", 2 }, { "电脑外设", 2 }, { "智能穿戴", 2 },
	/* 20 */
	{ "存储", 2 }, { "充电配件", 2 }, { "平板阅读", 2 },
	{ "厨房电器", 3 }, { "个护电器", 3 }, { "清洁电器", 3 },
	{ "休闲零食", 4 }, { "粮油调味", 4 }, { "咖啡茶饮", 4 }, { "牛奶乳品", 4 },
	/* 30 */
	{ "护肤", 5 }, { "彩妆", 5 },
	{ "尿裤湿巾", 6 }, { "儿童用品", 6 }, { "玩具", 6 },
	{ "床品", 7 }, { "收纳", 7 }, { "厨具", 7 }, { "灯具", 7 }, { "家饰香薰", 7 },
	/* 40 */
	{ "运动服", 8 }, { "健身器材", 8 }, { "球类", 8 },
	{ "文学", 9 }, { "计算机", 9 },
	{ "键盘", 18 }, { "鼠标", 18 },
};

/* --- order text ------------------------------------------------------------ */

static const char *const seed_order_notes[] = {
	"请尽快发货，谢谢", "不要放快递柜", "送人的，请不要放价格单",
	"工作日白天家里没人，请放门卫", "请用顺丰", "发货前请检查一下",
	"生日礼物，麻烦包装好一点", "到了请打电话", "Please leave at the front desk",
	"需要开发票，抬头：个人",
};

/* Abnormal reasons and the note a person would leave. */
static const char *const seed_abnormal_address[] = {
	"地址缺少门牌号，已联系买家", "收件地址与身份证地址不一致，待确认",
	"地址不在配送范围", "电话号码空号，需买家补充",
};
static const char *const seed_abnormal_cancel[] = {
	"买家来电要求取消订单", "买家拍错了，申请取消", "买家在聊天中要求取消",
};
static const char *const seed_abnormal_payment[] = {
	"支付渠道返回失败：余额不足", "银行卡验证失败", "支付超时未回调",
};
static const char *const seed_abnormal_stock[] = {
	"仓库实物缺货，预计3天后到货", "该颜色断码，已联系买家换色",
	"库存盘点差异，待补货",
};
static const char *const seed_abnormal_fraud[] = {
	"同一IP短时间内多笔下单，疑似刷单", "收货地址与下单IP相距过远",
	"新账户大额订单，风控待审",
};

/* --- after-sales ----------------------------------------------------------- */

/* Reasons per ticket kind (same order as the kinds in seed.c). */
static const char *const seed_reasons_refund[] = {
	"不想要了", "拍错了/多拍了", "商品少发漏发", "价格变动，申请退差价",
	"未按约定时间发货",
};
static const char *const seed_reasons_return[] = {
	"尺码不合适", "收到商品破损", "商品与描述不符", "质量问题", "七天无理由退货",
	"颜色与图片差异大",
};
static const char *const seed_reasons_exchange[] = {
	"尺码不合适", "颜色不喜欢", "收到商品有瑕疵", "发错货了",
};
static const char *const seed_reasons_repair[] = {
	"无法开机", "充电异常", "按键失灵", "屏幕有坏点", "有异响",
};
static const char *const seed_reasons_reship[] = {
	"包裹丢失", "收到商品破损", "少件，缺少配件", "外包装严重破损",
};
static const char *const seed_reasons_complaint[] = {
	"客服态度差", "物流太慢了", "虚假宣传", "售后处理太慢", "商品质量差",
};
static const char *const seed_reasons_logistics[] = {
	"物流太慢了", "物流信息三天没更新", "显示已签收但没收到", "快递员未送货上门",
	"包裹被退回",
};

static const char *const seed_descriptions[] = {
	"收到后发现{item}和页面描述不一样，希望尽快处理。",
	"{item}拆开就发现有问题，附上照片，麻烦看一下。",
	"穿了一下不合适，吊牌还在，没有洗过。",
	"等了好几天了，一直没有消息，请给个说法。",
	"快递盒子压坏了，里面的{item}也有划痕。",
	"The {item} arrived damaged, photos attached. Please advise.",
	"买给家人的，对方不喜欢，申请处理。",
	"第二次遇到这种情况了，希望商家重视。",
	"",
};

/* --- chat ------------------------------------------------------------------ */

/*
 * Dialogues: lines alternate between the customer ('c') and the agent ('a');
 * a conversation takes a prefix. Placeholders: {order_id} {customer_name}
 * {agent_name} {tracking_no}.
 */
struct seed_dialogue {
	const char	*queue;		/* presales, aftersales */
	const char	*tag;		/* tag when resolved */
	const char	*lines[12];
};

static const struct seed_dialogue seed_dialogues[] = {
	{ "aftersales", "order_issue", {
	  "c请问我的订单{order_id}什么时候发货？",
	  "a{customer_name}您好，我是{agent_name}，帮您查一下订单状态。",
	  "c好的，麻烦快一点，周末要用。",
	  "a已经查到了，订单今天下午会从杭州仓发出。",
	  "c能发顺丰吗？",
	  "a可以的，已经备注仓库改发顺丰，不另收费。",
	  "c太好了，谢谢！",
	  "a不客气，发货后会有短信通知您。",
	  "c那运单号到时候在哪里看？",
	  "a在订单详情里就能看到物流单号。",
	  "c明白了",
	  "a祝您生活愉快，有问题随时联系我们～", } },
	{ "aftersales", "order_issue", {
	  "c快递三天没动了，单号{tracking_no}",
	  "a非常抱歉给您带来不便，我马上联系快递公司核实。",
	  "c今天能到吗？",
	  "a快递反馈包裹在中转站滞留，预计明天送达。",
	  "c那好吧，明天还不到怎么办",
	  "a如果明天仍未送达，我们给您补发并赠送一张10元优惠券。",
	  "c行，那我等一下",
	  "a已为您登记，会持续跟进物流。", } },
	{ "presales", "presales_question", {
	  "c这件T恤尺码偏大还是偏小？我身高175体重70kg",
	  "a您好，这款是标准版型，按您的身材建议选L码。",
	  "c洗了会缩水吗",
	  "a是预缩棉面料，正常机洗基本不缩水。",
	  "c有白色的L码吗",
	  "a有货的，今天下单今天发。",
	  "c好的我拍了",
	  "a感谢支持！", } },
	{ "aftersales", "resolved", {
	  "c收到的杯子有裂缝，我要退货",
	  "a很抱歉！麻烦拍一张裂缝的照片发给我。",
	  "c[图片]",
	  "a收到，确认是运输破损，可以直接为您申请退货退款。",
	  "c需要我自己寄回去吗？",
	  "a我们会安排快递上门取件，运费由我们承担。",
	  "c好的，什么时候退款？",
	  "a仓库收到退货后24小时内原路退款。",
	  "c谢谢", } },
	{ "presales", "presales_question", {
	  "cHi, do you ship to Hong Kong?",
	  "aHello {customer_name}, sorry, we currently only ship within mainland China.",
	  "cOK. Can I use a credit card?",
	  "aYes, Visa and Mastercard are accepted at checkout.",
	  "cGreat, thanks!",
	  "aYou're welcome. Have a nice day!", } },
	{ "aftersales", "order_issue", {
	  "c我想开发票，订单{order_id}",
	  "a好的，请提供发票抬头和税号。",
	  "c抬头是个人就行",
	  "a已为您申请电子普通发票，24小时内发送到您的邮箱。",
	  "c好的",
	  "a还有其他可以帮您的吗？", } },
	{ "aftersales", "resolved", {
	  "c鞋子小了一码能换吗",
	  "a可以换的，支持七天无理由换货。请问要换大一码吗？",
	  "c对，换42码",
	  "a42码有货，已为您提交换货申请，请把鞋子寄回。",
	  "c退回地址是哪里",
	  "a地址已发到订单售后页面，寄回时请附上订单号。",
	  "c寄出了，单号{tracking_no}",
	  "a收到，仓库签收后马上给您发新鞋。", } },
	{ "presales", "presales_question", {
	  "c这个充电宝能带上飞机吗",
	  "a您好，20000mAh约74Wh，低于100Wh，可以随身携带登机。",
	  "c支持笔记本充电吗",
	  "a支持，最大输出65W，可以给大部分轻薄本充电。",
	  "c好，有优惠吗",
	  "a现在满199减20，叠加会员价更划算。", } },
	{ "aftersales", "order_issue", {
	  "c我刚下单就后悔了，能取消吗",
	  "a{customer_name}您好，订单还未发货，可以为您取消。",
	  "c好的麻烦了",
	  "a已经取消，款项1-3个工作日原路退回。",
	  "c收到", } },
	{ "aftersales", "resolved", {
	  "cThe headphones stopped charging after a week.",
	  "aSorry about that. Could you try another cable and charger first?",
	  "cTried, still not charging.",
	  "aUnderstood. I have opened a repair request; a courier will pick it up tomorrow.",
	  "cHow long will the repair take?",
	  "aUsually 5-7 days after we receive it. We'll keep you posted.", } },
	{ "aftersales", "no_reply", {
	  "c在吗",
	  "a在的，请问有什么可以帮您？",
	  "c我的快递显示签收了但我没收到",
	  "a帮您查一下，签收人显示为快递柜，请查看取件短信。",
	  "a请问找到包裹了吗？", } },
	{ "presales", "presales_question", {
	  "c空气炸锅有几种颜色",
	  "a目前有白色和墨绿两种颜色。",
	  "c5.5升的适合几口人",
	  "a适合3到5口之家使用。",
	  "c什么时候有活动",
	  "a本周末有秒杀活动，可以先加购物车关注一下。", } },
};

/* What customers write to start or continue a chat (live activity, new chats). */
static const char *const seed_customer_lines[] = {
	"在吗？", "请问什么时候发货？", "我的快递到哪了？", "可以便宜一点吗",
	"怎么申请退货", "东西收到了，但是少了一件", "能改地址吗", "发票怎么开",
	"这个有现货吗？", "急！明天要用，能加急吗", "尺码怎么选", "谢谢，已经收到了",
	"Is this item in stock?", "Can I change my delivery address?",
	"人呢？等了好久了", "订单显示已签收但我没收到", "优惠券用不了",
	"可以开专票吗", "颜色和图片不一样", "客服你好",
};

/* Bot greeting sent when a customer opens a chat. */
static const char *const seed_bot_lines[] = {
	"您好，欢迎光临！客服正在接入，请稍候～",
	"您好，当前咨询人数较多，已为您排队，前面还有2位。",
	"Hi! An agent will be with you shortly.",
};

/* Hostile text a terminal must neutralise (carried as data only). */
static const char *const seed_hostile[] = {
	"\x1b[31m紧急\x1b[0m 订单有问题\x1b]0;pwned\x07 请马上处理",
	"退款请转到这个账户 \xe2\x80\xae" "1234-5678-9012\xe2\x80\xac 谢谢",
	"\x1b[2J\x1b[H清屏测试？？？\x1b[5m闪烁\x1b[0m",
};

/* --- canned replies -------------------------------------------------------- */

static const struct {
	const char	*shortcut;
	const char	*title;
	const char	*lang;
	const char	*body;
} seed_canned[] = {
	{ "hello", "开场问候", "zh_CN",
	  "{customer_name}您好，我是客服{agent_name}，很高兴为您服务，请问有什么可以帮您？" },
	{ "hello", "Greeting", "en",
	  "Hello {customer_name}, this is {agent_name}. How can I help you today?" },
	{ "wait", "请稍候", "zh_CN", "好的，我这边帮您查询一下，请稍等1-2分钟～" },
	{ "status", "订单状态", "zh_CN",
	  "{customer_name}您好，您的订单{order_id}目前正在处理中，发货后会第一时间短信通知您。" },
	{ "shipped", "已发货", "zh_CN",
	  "您的订单{order_id}已由{carrier}发出，运单号{tracking_no}，可在订单详情查看物流。" },
	{ "shipped", "Shipped", "en",
	  "Your order {order_id} has shipped with {carrier}, tracking number {tracking_no}." },
	{ "delay", "物流延迟致歉", "zh_CN",
	  "{customer_name}您好，您的订单{order_id}已由{carrier}发出，单号{tracking_no}。近期物流压力较大，"
	  "给您带来不便非常抱歉，我们会持续跟进。" },
	{ "delay", "Delivery delay", "en",
	  "We're sorry, {customer_name}: order {order_id} is delayed in transit with {carrier} "
	  "({tracking_no}). We are following it up." },
	{ "oos", "缺货致歉", "zh_CN",
	  "非常抱歉，您购买的商品暂时缺货，预计3-5天到货。可为您推荐相似款，或全额退款并补偿一张10元优惠券。" },
	{ "return7", "七天无理由退货", "zh_CN",
	  "本店支持七天无理由退货，请保持商品完好、吊牌齐全，在订单{order_id}详情页提交退货申请即可。" },
	{ "return7", "7-day returns", "en",
	  "You can return any unused item within 7 days: open order {order_id} and choose Return." },
	{ "invoice", "发票说明", "zh_CN",
	  "订单{order_id}可开具电子普通发票，请提供抬头和税号，开具后将发送到您的邮箱。" },
	{ "size", "尺码建议", "zh_CN",
	  "请提供您的身高和体重，{agent_name}帮您推荐合适的尺码～" },
	{ "refund", "退款进度", "zh_CN",
	  "{customer_name}您好，您的退款已提交，将在1-3个工作日原路退回，请注意查收。" },
	{ "address", "修改地址", "zh_CN",
	  "订单{order_id}尚未发货，可以修改地址，请把新的收件人、电话和详细地址发给我。" },
	{ "cancel", "取消订单", "zh_CN",
	  "已为您取消订单{order_id}，款项将原路退回，欢迎再次光临。" },
	{ "damaged", "商品破损", "zh_CN",
	  "非常抱歉！请拍摄商品和外包装的照片发给我们，确认后为您补发或退款。" },
	{ "coupon", "优惠券说明", "zh_CN",
	  "优惠券需在有效期内、满足使用门槛时使用，结算页会自动选择最优券。" },
	{ "transfer", "转接", "zh_CN", "您的问题需要专人处理，{agent_name}现在为您转接售后专员，请稍候。" },
	{ "bye", "结束语", "zh_CN",
	  "感谢您的耐心，{customer_name}！如果还有问题随时联系我们，祝您生活愉快～" },
	{ "bye", "Closing", "en", "Thanks for your patience, {customer_name}. Have a great day!" },
};

/* --- promotions ------------------------------------------------------------ */

/*
 * One promotion: start and length in hours relative to now. The meaning of
 * p1..p4 depends on the kind (see seed.c): amounts in fen, percentages 1..99.
 */
struct seed_promo {
	const char	*name;
	const char	*kind;
	const char	*status;
	int		 start_h;
	int		 len_h;
	int		 p1, p2, p3, p4;
	const char	*hint;		/* "|"-separated product titles for sku_ids */
};

static const struct seed_promo seed_promos[] = {
	{ "开学季 满199减20", "threshold_coupon", "ended", -80 * 24, 14 * 24, 19900, 2000, 0, 0, NULL },
	{ "周末 满299减40", "threshold_coupon", "active", -5 * 24, 30 * 24, 29900, 4000, 0, 0, NULL },
	{ "双11 满199减20", "threshold_coupon", "scheduled", 10 * 24, 3 * 24, 19900, 2000, 0, 0, NULL },
	{ "年货节 满399减60", "threshold_coupon", "draft", 40 * 24, 10 * 24, 39900, 6000, 0, 0, NULL },
	{ "会员日 9折券", "percent_coupon", "ended", -60 * 24, 7 * 24, 10, 5000, 0, 0, NULL },
	{ "秋装 85折券", "percent_coupon", "active", -10 * 24, 20 * 24, 15, 8000, 0, 0, NULL },
	{ "黑五 8折券", "percent_coupon", "scheduled", 20 * 24, 4 * 24, 20, 10000, 0, 0, NULL },
	{ "清仓 7折券（草稿）", "percent_coupon", "draft", 30 * 24, 7 * 24, 30, 15000, 0, 0, NULL },
	{ "店铺立减10元", "fixed_coupon", "ended", -45 * 24, 10 * 24, 1000, 0, 0, 0, NULL },
	{ "App专享立减5元", "fixed_coupon", "active", -20 * 24, 40 * 24, 500, 0, 0, 0, NULL },
	{ "直播间立减15元", "fixed_coupon", "scheduled", 3 * 24, 1 * 24, 1500, 0, 0, 0, NULL },
	{ "老客回归立减20元", "fixed_coupon", "draft", 15 * 24, 15 * 24, 2000, 0, 0, 0, NULL },
	{ "新人专享 无门槛10元", "new_customer_coupon", "ended", -88 * 24, 30 * 24, 1000, 0, 0, 0, NULL },
	{ "新人礼 无门槛15元", "new_customer_coupon", "active", -50 * 24, 90 * 24, 1500, 0, 0, 0, NULL },
	{ "新人礼 升级版20元", "new_customer_coupon", "scheduled", 40 * 24, 60 * 24, 2000, 0, 0, 0, NULL },
	{ "新人礼 测试", "new_customer_coupon", "draft", 60 * 24, 30 * 24, 800, 0, 0, 0, NULL },
	{ "整点秒杀 蓝牙耳机", "flash_sale", "ended", -30 * 24, 2, 60, 200, 0, 0, "无线蓝牙耳机" },
	{ "限时秒杀 T恤", "flash_sale", "active", -3, 12, 55, 500, 0, 0, "纯棉圆领T恤" },
	{ "明日秒杀 空气炸锅", "flash_sale", "scheduled", 20, 2, 65, 100, 0, 0, "空气炸锅" },
	{ "秒杀 坚果礼盒（草稿）", "flash_sale", "draft", 5 * 24, 3, 50, 300, 0, 0, "每日坚果" },
	{ "中秋 满减 两档", "tiered", "ended", -70 * 24, 5 * 24, 19900, 2000, 39900, 5000, NULL },
	{ "全场 满199减25 满399减60", "tiered", "active", -7 * 24, 14 * 24, 19900, 2500, 39900, 6000, NULL },
	{ "双12 满减", "tiered", "scheduled", 25 * 24, 3 * 24, 29900, 3000, 59900, 8000, NULL },
	{ "春节 满减（草稿）", "tiered", "draft", 70 * 24, 7 * 24, 19900, 2000, 49900, 7000, NULL },
	{ "零食 3件9折", "n_items", "ended", -40 * 24, 10 * 24, 3, 10, 0, 0, NULL },
	{ "美妆 2件85折", "n_items", "active", -12 * 24, 20 * 24, 2, 15, 0, 0, NULL },
	{ "图书 4件8折", "n_items", "scheduled", 8 * 24, 10 * 24, 4, 20, 0, 0, NULL },
	{ "家居 3件75折（草稿）", "n_items", "draft", 20 * 24, 7 * 24, 3, 25, 0, 0, NULL },
	{ "键鼠套装", "bundle", "ended", -55 * 24, 20 * 24, 85, 0, 0, 0, "机械键盘|无线鼠标" },
	{ "护肤组合", "bundle", "active", -15 * 24, 30 * 24, 80, 0, 0, 0, "保湿面霜|洁面乳" },
	{ "运动组合", "bundle", "scheduled", 12 * 24, 14 * 24, 85, 0, 0, 0, "瑜伽垫|跳绳 计数款" },
	{ "厨房组合（草稿）", "bundle", "draft", 30 * 24, 14 * 24, 80, 0, 0, 0, "不粘炒锅|电热水壶" },
	{ "黄金会员 95折", "member_price", "ended", -85 * 24, 30 * 24, 1, 5, 0, 0, NULL },
	{ "钻石会员 9折", "member_price", "active", -30 * 24, 60 * 24, 2, 10, 0, 0, NULL },
	{ "黄金会员日 92折", "member_price", "scheduled", 6 * 24, 1 * 24, 1, 8, 0, 0, NULL },
	{ "钻石会员 85折（草稿）", "member_price", "draft", 45 * 24, 30 * 24, 2, 15, 0, 0, NULL },
	{ "3人拼团 手环", "group_buy", "ended", -25 * 24, 7 * 24, 3, 75, 0, 0, "智能手环" },
	{ "2人拼团 牛肉干", "group_buy", "active", -4 * 24, 10 * 24, 2, 80, 0, 0, "手撕牛肉干" },
	{ "5人拼团 大米", "group_buy", "scheduled", 9 * 24, 5 * 24, 5, 70, 0, 0, "东北大米" },
	{ "拼团 牛奶（草稿）", "group_buy", "draft", 16 * 24, 5 * 24, 3, 78, 0, 0, "低脂牛奶 250ml×24" },
	{ "618 满300减50", "threshold_coupon", "ended", -20 * 24, 3 * 24, 30000, 5000, 0, 0, NULL },
	{ "整点秒杀 充电器", "flash_sale", "ended", -15 * 24, 3, 60, 300, 0, 0, "65W氮化镓充电器" },
};

#endif
