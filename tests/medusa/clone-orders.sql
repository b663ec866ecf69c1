-- clone-orders.sql -- adds :m orders to a Medusa v2 (2.21) database by copying, in SQL,
-- the whole graph of each order that seed.mjs made (their ids are in the store's
-- metadata, "shopdesk_seed"), round robin, with fresh ids. Run by seed-bulk.sh:
--
--   psql -v m=COUNT -v salt=TEXT -f clone-orders.sql
--
-- What a copy is made of (the rows reachable from one order):
--   order module   order, order_address (shipping, billing), order_item (every version),
--                  order_line_item (+ _adjustment, _tax_line), order_shipping (every
--                  version), order_shipping_method (+ _adjustment, _tax_line),
--                  order_summary, order_transaction, order_change (+ _action),
--                  order_credit_line, return, return_item, order_exchange (+ _item),
--                  order_claim (+ _item, _item_image)
--   payment        payment_collection (+ payment_collection_payment_providers),
--                  payment_session, payment, capture, refund
--   fulfillment    fulfillment (of the order and of its returns), fulfillment_address,
--                  fulfillment_item, fulfillment_label
--   inventory      reservation_item (the stock level's stocked and reserved quantities
--                  are raised by what the copies reserve, so what is available stays)
--   module links   order_payment_collection, order_fulfillment, order_promotion,
--                  return_fulfillment. Not copied: order_cart and
--                  cart_payment_collection (a copy has no cart, like a draft order)
--                  and workflow_execution (history).
-- In every copied row: "id" is new (same prefix, a ULID of the copy's time); every text
-- column named *_id, and every *_id key at the top of a jsonb column (order_change_action
-- .details: reference_id), that names a row of the same copy is pointed at its copy;
-- every timestamp is moved by the same interval, so that a copy is created at a time
-- spread over the last 30 days (up to an hour ago) and keeps the template's inner
-- timing; display_id (order, return, order_exchange, order_claim) continues its
-- sequence in the order of creation. Other references (customer, region, variant,
-- promotion, shipping option, stock location...) are shared with the template.

\set ON_ERROR_STOP 1
\o /dev/null
BEGIN;
SET LOCAL search_path = public, pg_temp;
SELECT setseed(0.4242);

CREATE TEMP TABLE tm ON COMMIT DROP AS
	SELECT (row_number() OVER (ORDER BY o.display_id) - 1)::int AS k, o.id AS oid, o.created_at AS ts0
	FROM "order" o
	WHERE o.id IN (SELECT e.value FROM store s,
		jsonb_each_text(((s.metadata ->> 'shopdesk_seed')::jsonb) -> 'orders') e);

DO $$
BEGIN
	IF (SELECT count(*) FROM tm) = 0 THEN
		RAISE EXCEPTION 'no seeded orders to copy: run seed.mjs first';
	END IF;
END $$;

-- Crockford base-32 of a time in ms: the 10 leading characters of a ULID.
CREATE FUNCTION pg_temp.ulid_time(ts timestamptz) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	a text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
	ms bigint := floor(extract(epoch FROM ts) * 1000);
	s text := '';
BEGIN
	FOR i IN 1..10 LOOP
		s := substr(a, (ms % 32)::int + 1, 1) || s;
		ms := ms / 32;
	END LOOP;
	RETURN s;
END $$;

CREATE TEMP TABLE clone ON COMMIT DROP AS
	SELECT n, ((n - 1) % (SELECT count(*) FROM tm))::int AS k,
		now() - interval '30 days' + (interval '30 days' - interval '1 hour') * ((n - 1 + random()) / :m) AS ts
	FROM generate_series(1, :m) n;
ALTER TABLE clone ADD COLUMN delta interval, ADD COLUMN tpart text, ADD PRIMARY KEY (n);
UPDATE clone c SET delta = c.ts - tm.ts0, tpart = pg_temp.ulid_time(c.ts) FROM tm WHERE tm.k = c.k;

-- obj: the rows of each template's graph.
CREATE TEMP TABLE obj (k int, tbl text, old text, PRIMARY KEY (tbl, old, k)) ON COMMIT DROP;
INSERT INTO obj SELECT k, 'order', oid FROM tm;
INSERT INTO obj SELECT DISTINCT tm.k, 'order_address', v.a
	FROM tm JOIN "order" o ON o.id = tm.oid
	CROSS JOIN LATERAL (VALUES (o.shipping_address_id), (o.billing_address_id)) v(a)
	WHERE v.a IS NOT NULL;

-- by_order: rows with order_id; child: rows pointing at a parent (tbl, col, parent);
-- ref: rows a parent points at (tbl, parent, col).
DO $$
DECLARE
	t text;
	r text[];
BEGIN
	FOREACH t IN ARRAY ARRAY['order_item', 'order_shipping', 'order_summary', 'order_transaction',
		'order_change', 'order_change_action', 'order_credit_line', 'order_promotion',
		'order_payment_collection', 'order_fulfillment', 'return', 'order_exchange', 'order_claim']
	LOOP
		EXECUTE format('INSERT INTO obj SELECT DISTINCT tm.k, %L, x.id FROM tm JOIN %I x ON x.order_id = tm.oid
			ON CONFLICT DO NOTHING', t, t);
	END LOOP;
	FOREACH r SLICE 1 IN ARRAY ARRAY[
		['ref', 'order_line_item', 'order_item', 'item_id'],
		['child', 'order_line_item_adjustment', 'order_line_item', 'item_id'],
		['child', 'order_line_item_tax_line', 'order_line_item', 'item_id'],
		['ref', 'order_shipping_method', 'order_shipping', 'shipping_method_id'],
		['child', 'order_shipping_method_adjustment', 'order_shipping_method', 'shipping_method_id'],
		['child', 'order_shipping_method_tax_line', 'order_shipping_method', 'shipping_method_id'],
		['child', 'return_item', 'return', 'return_id'],
		['child', 'return_fulfillment', 'return', 'return_id'],
		['child', 'order_exchange_item', 'order_exchange', 'exchange_id'],
		['child', 'order_claim_item', 'order_claim', 'claim_id'],
		['child', 'order_claim_item_image', 'order_claim_item', 'claim_item_id'],
		['ref', 'payment_collection', 'order_payment_collection', 'payment_collection_id'],
		['child', 'payment_session', 'payment_collection', 'payment_collection_id'],
		['child', 'payment', 'payment_collection', 'payment_collection_id'],
		['child', 'capture', 'payment', 'payment_id'],
		['child', 'refund', 'payment', 'payment_id'],
		['ref', 'fulfillment', 'order_fulfillment', 'fulfillment_id'],
		['ref', 'fulfillment', 'return_fulfillment', 'fulfillment_id'],
		['ref', 'fulfillment_address', 'fulfillment', 'delivery_address_id'],
		['child', 'fulfillment_item', 'fulfillment', 'fulfillment_id'],
		['child', 'fulfillment_label', 'fulfillment', 'fulfillment_id'],
		['child', 'reservation_item', 'order_line_item', 'line_item_id']]
	LOOP
		IF r[1] = 'child' THEN
			EXECUTE format('INSERT INTO obj SELECT DISTINCT o.k, %L, x.id FROM obj o JOIN %I x ON x.%I = o.old
				WHERE o.tbl = %L ON CONFLICT DO NOTHING', r[2], r[2], r[4], r[3]);
		ELSE
			EXECUTE format('INSERT INTO obj SELECT DISTINCT o.k, %L, x.%I FROM obj o JOIN %I x ON x.id = o.old
				WHERE o.tbl = %L AND x.%I IS NOT NULL ON CONFLICT DO NOTHING', r[2], r[4], r[3], r[3], r[4]);
		END IF;
	END LOOP;
END $$;

-- idmap: for each copy, the new id of every row of its template's graph.
CREATE TEMP TABLE idmap ON COMMIT DROP AS
	SELECT c.n, o.tbl, o.old,
		regexp_replace(o.old, '[0-9A-Z]{26}$', '') || c.tpart ||
		upper(substr(md5(random()::text || c.n || o.old || :'salt'), 1, 16)) AS new
	FROM obj o JOIN clone c ON c.k = o.k;
ALTER TABLE idmap ADD PRIMARY KEY (n, old);
CREATE INDEX ON idmap (tbl);
ANALYZE clone;
ANALYZE idmap;

-- remap_json: *_id keys at the top of a jsonb object that name a row of copy nn.
CREATE FUNCTION pg_temp.remap_json(nn int, j jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	k text;
	v text;
	nv text;
	res jsonb := j;
BEGIN
	IF j IS NULL OR jsonb_typeof(j) <> 'object' OR j = '{}'::jsonb THEN
		RETURN j;
	END IF;
	FOR k, v IN SELECT key, value FROM jsonb_each_text(j) WHERE key ~ '_id$' LOOP
		SELECT x.new INTO nv FROM idmap x WHERE x.n = nn AND x.old = v;
		IF FOUND THEN
			res := jsonb_set(res, ARRAY[k], to_jsonb(nv));
		END IF;
	END LOOP;
	RETURN res;
END $$;

-- clone_table: insert the copies of a table's rows (see the top of this file).
CREATE FUNCTION pg_temp.clone_table(tbl text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	r record;
	cols text := '';
	exprs text := '';
	e text;
	cnt bigint;
BEGIN
	FOR r IN SELECT column_name AS c, data_type AS dt FROM information_schema.columns
		WHERE table_schema = 'public' AND table_name = tbl ORDER BY ordinal_position
	LOOP
		IF r.c = 'id' THEN
			e := 'm.new';
		ELSIF r.c = 'display_id' THEN
			e := format('(SELECT coalesce(max(display_id), 0) FROM %I) + row_number() OVER (ORDER BY t.created_at + c.delta, m.new)', tbl);
		ELSIF r.dt IN ('text', 'character varying') AND r.c ~ '_id$' THEN
			e := format('coalesce((SELECT x.new FROM idmap x WHERE x.n = c.n AND x.old = t.%1$I), t.%1$I)', r.c);
		ELSIF r.dt LIKE 'timestamp%' THEN
			e := format('t.%I + c.delta', r.c);
		ELSIF r.dt = 'jsonb' AND r.c !~ '^raw_' AND r.c <> 'totals' THEN
			e := format('pg_temp.remap_json(c.n, t.%I)', r.c);
		ELSE
			e := format('t.%I', r.c);
		END IF;
		cols := cols || ', ' || quote_ident(r.c);
		exprs := exprs || ', ' || e;
	END LOOP;
	EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM idmap m JOIN %I t ON t.id = m.old
		JOIN clone c ON c.n = m.n WHERE m.tbl = %L',
		tbl, substr(cols, 3), substr(exprs, 3), tbl, tbl);
	GET DIAGNOSTICS cnt = ROW_COUNT;
	RETURN cnt;
END $$;

-- Parents before children (foreign keys are not deferrable).
CREATE TEMP TABLE copied (tbl text, rows bigint) ON COMMIT DROP;
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['order_address', 'order', 'order_line_item', 'order_item',
		'order_line_item_adjustment', 'order_line_item_tax_line', 'order_shipping_method',
		'order_shipping', 'order_shipping_method_adjustment', 'order_shipping_method_tax_line',
		'order_summary', 'order_transaction', 'order_change', 'order_change_action',
		'order_credit_line', 'return', 'return_item', 'order_exchange', 'order_exchange_item',
		'order_claim', 'order_claim_item', 'order_claim_item_image', 'order_promotion',
		'order_payment_collection', 'payment_collection', 'payment_session', 'payment', 'capture',
		'refund', 'order_fulfillment', 'fulfillment_address', 'fulfillment', 'fulfillment_item',
		'fulfillment_label', 'return_fulfillment', 'reservation_item']
	LOOP
		INSERT INTO copied VALUES (t, pg_temp.clone_table(t));
	END LOOP;
END $$;

INSERT INTO payment_collection_payment_providers (payment_collection_id, payment_provider_id)
	SELECT m.new, p.payment_provider_id
	FROM idmap m JOIN payment_collection_payment_providers p ON p.payment_collection_id = m.old
	WHERE m.tbl = 'payment_collection';

-- What the copies reserve is added to the stock, so that what is available is unchanged.
WITH s AS (
	SELECT r.inventory_item_id, r.location_id, sum(r.quantity) AS q
	FROM idmap m JOIN reservation_item r ON r.id = m.new
	WHERE m.tbl = 'reservation_item' AND r.deleted_at IS NULL
	GROUP BY 1, 2)
UPDATE inventory_level l SET
	stocked_quantity = l.stocked_quantity + s.q,
	reserved_quantity = l.reserved_quantity + s.q,
	raw_stocked_quantity = jsonb_build_object('value', (l.stocked_quantity + s.q)::text, 'precision', 20),
	raw_reserved_quantity = jsonb_build_object('value', (l.reserved_quantity + s.q)::text, 'precision', 20),
	updated_at = now()
FROM s
WHERE l.inventory_item_id = s.inventory_item_id AND l.location_id = s.location_id AND l.deleted_at IS NULL;

SELECT setval('order_display_id_seq', max(display_id)) FROM "order" HAVING max(display_id) IS NOT NULL;
SELECT setval('return_display_id_seq', max(display_id)) FROM return HAVING max(display_id) IS NOT NULL;
SELECT setval('order_exchange_display_id_seq', max(display_id)) FROM order_exchange HAVING max(display_id) IS NOT NULL;
SELECT setval('order_claim_display_id_seq', max(display_id)) FROM order_claim HAVING max(display_id) IS NOT NULL;

\o
SELECT 'copied ' || tbl || ' ' || rows FROM copied WHERE rows > 0 ORDER BY tbl;
-- One copy of each template (the newest), for seed-bulk.sh to compare through the API.
SELECT 'sample ' || m.old || ' ' || m.new FROM idmap m
	WHERE m.tbl = 'order' AND m.n IN (SELECT max(n) FROM clone GROUP BY k) ORDER BY m.old;
COMMIT;
