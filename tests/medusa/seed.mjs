// seed.mjs -- builds a small, deterministic store for a Chinese merchant on a Medusa v2
// server, through Medusa's own Admin and Store HTTP APIs (Node >= 20, global fetch,
// no dependencies).
//
//   MEDUSA_URL=http://127.0.0.1:PORT MEDUSA_EMAIL=... MEDUSA_PASSWORD=... node seed.mjs
//
// Prints ONE JSON object on standard output: the ids it made, "order_count",
// "secret_api_key" (an sk_... token, send it as "Authorization: Basic <sk_...>"),
// "admin_token" (a JWT, "Authorization: Bearer <jwt>", valid 24 h) and "publishable_key".
// Progress and the time of each request go to standard error (SEED_VERBOSE=1).
//
// The store: region 中国大陆 (cny, country cn) with its tax region (rate 0 %); stock
// location 深圳仓 with manual fulfillment, an outbound (顺丰速运 12.00) and a return
// (退货寄回 0.00) shipping option; sales channel and publishable key; 3 products, 7
// variants (EAN-13 barcodes, prices such as 129.90, stock 100 / 5 / 0); 4 customers
// with Chinese names and mainland mobile numbers; promotions XINKE10 (10 % coupon,
// active), JIAN20 (20.00 off an item, in campaign 双十二大促 with a usage budget of
// 100) and DRAFT618 (draft); 10 orders, by role (see "orders" in the output):
//   shipped    paid, fulfilled and shipped with tracking number SF1400000000001, XINKE10
//   delivered  paid (draft order, payment marked paid), shipped and delivered
//   returned   paid, delivered, 1 item returned (requested + received), partial refund
//   exchange   paid, delivered, an exchange requested (its return not yet received)
//   paid       paid (captured), not yet fulfilled
//   promo      paid, with the JIAN20 campaign promotion
//   authorized payment authorized, not captured
//   unpaid, unpaid2  draft orders converted, not paid
//   canceled   converted, then canceled
// Payment: 6 paid and captured (5 "captured", "returned" is "partially_refunded"),
// 1 authorized, 2 not paid, 1 canceled (not paid). Promotions used: XINKE10 and JIAN20.
//
// Running it again is idempotent: the first run records its ids in the store's metadata
// (shopdesk_seed); a later run makes nothing but a new secret API key (the token of a
// key is only shown when it is made; earlier keys stay valid) and prints the same ids
// with "reused": true. A run that failed half-way is not resumed: run it on a fresh
// database.

// No default URL: a forgotten export must not seed some other Medusa on this machine.
if (!process.env.MEDUSA_URL) {
  process.stderr.write("usage: MEDUSA_URL=http://127.0.0.1:PORT [MEDUSA_EMAIL=...] [MEDUSA_PASSWORD=...] node seed.mjs\n")
  process.exit(2)
}
const BASE = process.env.MEDUSA_URL.replace(/\/$/, "")
const EMAIL = process.env.MEDUSA_EMAIL || "admin@example.test"
const PASSWORD = process.env.MEDUSA_PASSWORD || "supersecret123"
const VERBOSE = process.env.SEED_VERBOSE === "1"
const TIMEOUT_MS = Number(process.env.SEED_REQUEST_TIMEOUT_MS || 60000)
const MARK = "shopdesk_seed"
const MARK_VERSION = 1

let TOKEN = ""
let PK = ""
let nreq = 0
const t0 = Date.now()

function note(msg) {
  if (VERBOSE) process.stderr.write(msg + "\n")
}

// api(method, path, body?, {store}): JSON answer; throws with the server's message.
async function api(method, path, body, { store = false } = {}) {
  const headers = { "content-type": "application/json" }
  if (store) headers["x-publishable-api-key"] = PK
  else if (TOKEN) headers.authorization = "Bearer " + TOKEN
  const t = Date.now()
  let res
  try {
    res = await fetch(BASE + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (e) {
    throw new Error(`${method} ${path}: ${e.message}`)
  }
  nreq++
  const text = await res.text()
  note(`${res.status} ${method} ${path} ${Date.now() - t} ms`)
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text.slice(0, 500)}`)
  return text ? JSON.parse(text) : {}
}
const get = (p) => api("GET", p)
const post = (p, b = {}) => api("POST", p, b)
const spost = (p, b = {}) => api("POST", p, b, { store: true })
const q = encodeURIComponent

// EAN-13 with its check digit, from a 12-digit prefix (690-699: China).
function ean13(twelve) {
  const sum = [...twelve].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0)
  return twelve + ((10 - (sum % 10)) % 10)
}

const PRODUCTS = [
  {
    handle: "cotton-tee", title: "纯棉圆领T恤", subtitle: "新疆长绒棉",
    options: [{ title: "颜色", values: ["白色", "黑色"] }, { title: "尺码", values: ["M", "L"] }],
    variants: [
      { key: "tee_wht_m", title: "白色 / M", sku: "TEE-WHT-M", opts: { 颜色: "白色", 尺码: "M" }, price: 129.9, stock: 100 },
      { key: "tee_wht_l", title: "白色 / L", sku: "TEE-WHT-L", opts: { 颜色: "白色", 尺码: "L" }, price: 129.9, stock: 5 },
      { key: "tee_blk_m", title: "黑色 / M", sku: "TEE-BLK-M", opts: { 颜色: "黑色", 尺码: "M" }, price: 139.9, stock: 0 },
    ],
  },
  {
    handle: "thermos-500", title: "不锈钢保温杯 500ml", subtitle: "12小时保温",
    options: [{ title: "颜色", values: ["银色", "玫瑰金"] }],
    variants: [
      { key: "cup_slv", title: "银色", sku: "CUP-500-SLV", opts: { 颜色: "银色" }, price: 89.9, stock: 100 },
      { key: "cup_rsg", title: "玫瑰金", sku: "CUP-500-RSG", opts: { 颜色: "玫瑰金" }, price: 99, stock: 5 },
    ],
  },
  {
    handle: "bt-earbuds", title: "蓝牙耳机 Pro", subtitle: "主动降噪",
    options: [{ title: "版本", values: ["标准版", "降噪版"] }],
    variants: [
      { key: "ear_std", title: "标准版", sku: "EAR-STD", opts: { 版本: "标准版" }, price: 299, stock: 100 },
      { key: "ear_anc", title: "降噪版", sku: "EAR-ANC", opts: { 版本: "降噪版" }, price: 499.5, stock: 5 },
    ],
  },
]

const CUSTOMERS = [
  { key: "zhangwei", email: "zhang.wei@example.test", last_name: "张", first_name: "伟", phone: "13800138000",
    addr: { province: "广东省", city: "深圳市", address_1: "南山区科技园科苑路15号", address_2: "3栋1201", postal_code: "518057" } },
  { key: "wangfang", email: "wang.fang@example.test", last_name: "王", first_name: "芳", phone: "13912345678",
    addr: { province: "浙江省", city: "杭州市", address_1: "西湖区文三路478号", address_2: "华星时代广场A座", postal_code: "310013" } },
  { key: "lina", email: "li.na@example.test", last_name: "李", first_name: "娜", phone: "15021876543",
    addr: { province: "上海市", city: "上海市", address_1: "浦东新区世纪大道100号", address_2: "", postal_code: "200120" } },
  { key: "liuyang", email: "liu.yang@example.test", last_name: "刘", first_name: "洋", phone: "18611112222",
    addr: { province: "北京市", city: "北京市", address_1: "海淀区中关村大街27号", address_2: "1101室", postal_code: "100080" } },
]

function address(c) {
  return { first_name: c.first_name, last_name: c.last_name, phone: c.phone, country_code: "cn", ...c.addr }
}

// --- the store set-up (looked up first, so that a rerun finds it) ---------------------

async function setup() {
  const ids = {}
  const { stores } = await get("/admin/stores")
  const store = stores[0]
  ids.store_id = store.id
  await post(`/admin/stores/${store.id}`, {
    name: "shopdesk 测试旗舰店",
    supported_currencies: [{ currency_code: "cny", is_default: true }],
  })

  let sc = (await get(`/admin/sales-channels?name=${q("shopdesk 天猫店")}`)).sales_channels[0]
  if (!sc) sc = (await post("/admin/sales-channels", { name: "shopdesk 天猫店", description: "测试渠道" })).sales_channel
  ids.sales_channel_id = sc.id
  const profile = (await get("/admin/shipping-profiles?type=default")).shipping_profiles[0] ||
    (await get("/admin/shipping-profiles")).shipping_profiles[0]

  let region = (await get("/admin/regions?currency_code=cny")).regions[0]
  if (!region) {
    region = (await post("/admin/regions", {
      name: "中国大陆", currency_code: "cny", countries: ["cn"],
      payment_providers: ["pp_system_default"], automatic_taxes: true,
    })).region
  }
  ids.region_id = region.id
  let tax = (await get("/admin/tax-regions?country_code=cn")).tax_regions[0]
  if (!tax) {
    tax = (await post("/admin/tax-regions", {
      country_code: "cn", provider_id: "tp_system",
      default_tax_rate: { name: "免税（测试）", code: "CN-0", rate: 0 },
    })).tax_region
  }
  ids.tax_region_id = tax.id
  await post(`/admin/stores/${store.id}`, { default_region_id: region.id, default_sales_channel_id: sc.id })

  const locFields = "fields=*fulfillment_sets,*fulfillment_sets.service_zones,*fulfillment_sets.service_zones.shipping_options"
  let loc = (await get(`/admin/stock-locations?name=${q("深圳仓")}&${locFields}`)).stock_locations[0]
  if (!loc) {
    loc = (await post("/admin/stock-locations", {
      name: "深圳仓",
      address: { address_1: "宝安区福永街道物流园8号", city: "深圳市", province: "广东省", country_code: "CN", postal_code: "518103" },
    })).stock_location
    await post(`/admin/stock-locations/${loc.id}/fulfillment-providers`, { add: ["manual_manual"] })
    await post(`/admin/stock-locations/${loc.id}/sales-channels`, { add: [sc.id] })
    loc = (await post(`/admin/stock-locations/${loc.id}/fulfillment-sets?${locFields}`,
      { name: "深圳仓 快递", type: "shipping" })).stock_location
    const fset = (await post(`/admin/fulfillment-sets/${loc.fulfillment_sets[0].id}/service-zones`, {
      name: "中国大陆", geo_zones: [{ type: "country", country_code: "cn" }],
    })).fulfillment_set
    const zone = fset.service_zones[0]
    const option = (name, code, label, amount, isReturn) => post("/admin/shipping-options", {
      name, service_zone_id: zone.id, shipping_profile_id: profile.id, provider_id: "manual_manual",
      price_type: "flat", type: { label, description: label, code },
      prices: [{ currency_code: "cny", amount }, { region_id: region.id, amount }],
      rules: [
        { attribute: "enabled_in_store", value: "true", operator: "eq" },
        { attribute: "is_return", value: isReturn ? "true" : "false", operator: "eq" },
      ],
    })
    await option("顺丰速运", "sf-standard", "顺丰标快", 12, false)
    await option("退货寄回", "return", "买家寄回", 0, true)
  }
  ids.stock_location_id = loc.id
  const { shipping_options } = await get(`/admin/shipping-options?stock_location_id=${loc.id}&fields=id,name`)
  ids.shipping_option_id = shipping_options.find((o) => o.name === "顺丰速运").id
  ids.return_shipping_option_id = shipping_options.find((o) => o.name === "退货寄回").id

  let key = (await get("/admin/api-keys?type=publishable&limit=100")).api_keys
    .find((k) => k.title === "shopdesk-storefront" && !k.revoked_at)
  if (!key) {
    key = (await post("/admin/api-keys", { title: "shopdesk-storefront", type: "publishable" })).api_key
    await post(`/admin/api-keys/${key.id}/sales-channels`, { add: [sc.id] })
  }
  PK = key.token
  ids.publishable_key = PK

  ids.product_ids = {}
  ids.variant_ids = {}
  ids.inventory_item_ids = {}
  let barcode = 1
  for (const p of PRODUCTS) {
    const vf = "fields=id,handle,*variants,*variants.inventory_items"
    let prod = (await get(`/admin/products?handle=${p.handle}&${vf}`)).products[0]
    if (!prod) {
      prod = (await post(`/admin/products?${vf}`, {
        title: p.title, subtitle: p.subtitle, handle: p.handle, status: "published",
        shipping_profile_id: profile.id, sales_channels: [{ id: sc.id }],
        options: p.options,
        variants: p.variants.map((v) => ({
          title: v.title, sku: v.sku, barcode: ean13("690123456" + String(barcode++).padStart(3, "0")),
          options: v.opts, manage_inventory: true, allow_backorder: false,
          prices: [{ currency_code: "cny", amount: v.price }],
        })),
      })).product
      await post("/admin/inventory-items/location-levels/batch", {
        create: p.variants.map((v) => ({
          inventory_item_id: prod.variants.find((x) => x.sku === v.sku).inventory_items[0].inventory_item_id,
          location_id: loc.id, stocked_quantity: v.stock,
        })),
      })
    } else {
      barcode += p.variants.length
    }
    ids.product_ids[p.handle] = prod.id
    for (const v of p.variants) {
      const pv = prod.variants.find((x) => x.sku === v.sku)
      ids.variant_ids[v.sku] = pv.id
      ids.inventory_item_ids[v.sku] = pv.inventory_items[0].inventory_item_id
    }
  }

  ids.customer_ids = {}
  for (const c of CUSTOMERS) {
    let cus = (await get(`/admin/customers?email=${q(c.email)}`)).customers[0]
    if (!cus) {
      cus = (await post("/admin/customers", {
        email: c.email, first_name: c.first_name, last_name: c.last_name, phone: c.phone,
      })).customer
      await post(`/admin/customers/${cus.id}/addresses`, {
        ...address(c), address_name: "默认地址", is_default_shipping: true, is_default_billing: true,
      })
    }
    ids.customer_ids[c.key] = cus.id
  }

  ids.promotion_ids = {}
  const promo = async (code, body) => {
    let p = (await get(`/admin/promotions?code=${q(code)}`)).promotions[0]
    if (!p) p = (await post("/admin/promotions", { code, type: "standard", is_automatic: false, ...body })).promotion
    ids.promotion_ids[code] = p.id
    return p
  }
  await promo("XINKE10", {
    status: "active",
    application_method: { type: "percentage", target_type: "order", allocation: "across", value: 10, currency_code: "cny" },
    rules: [{ attribute: "currency_code", operator: "in", values: ["cny"] }],
  })
  const jian = await promo("JIAN20", {
    status: "active",
    application_method: {
      type: "fixed", target_type: "items", allocation: "each", value: 20, currency_code: "cny", max_quantity: 1,
      target_rules: [{ attribute: "items.product.id", operator: "in", values: [ids.product_ids["bt-earbuds"]] }],
    },
    campaign: {
      name: "双十二大促", campaign_identifier: "shuang12-2026", description: "耳机立减20元",
      budget: { type: "usage", limit: 100 },
    },
  })
  ids.campaign_id = jian.campaign_id || (await get(`/admin/promotions/${jian.id}?fields=id,campaign_id`)).promotion.campaign_id
  await promo("DRAFT618", {
    status: "draft",
    application_method: { type: "percentage", target_type: "order", allocation: "across", value: 15, currency_code: "cny" },
    rules: [{ attribute: "currency_code", operator: "in", values: ["cny"] }],
  })
  return ids
}

// --- orders ---------------------------------------------------------------------------

// cartOrder: the shopper's way (Store API), payment authorized by pp_system_default.
async function cartOrder(ids, c, items, codes = []) {
  const cart = (await spost("/store/carts", {
    region_id: ids.region_id, sales_channel_id: ids.sales_channel_id, email: c.email,
    items: items.map(([sku, quantity]) => ({ variant_id: ids.variant_ids[sku], quantity })),
  })).cart
  await spost(`/store/carts/${cart.id}`, { shipping_address: address(c), billing_address: address(c) })
  if (codes.length) await spost(`/store/carts/${cart.id}/promotions`, { promo_codes: codes })
  await spost(`/store/carts/${cart.id}/shipping-methods`, { option_id: ids.shipping_option_id })
  const pc = (await spost("/store/payment-collections", { cart_id: cart.id })).payment_collection
  await spost(`/store/payment-collections/${pc.id}/payment-sessions`, { provider_id: "pp_system_default" })
  const done = await spost(`/store/carts/${cart.id}/complete`)
  if (done.type !== "order") throw new Error(`cart ${cart.id} did not complete: ${JSON.stringify(done).slice(0, 300)}`)
  return done.order.id
}

// draftOrder: the merchant's way (Admin API); not paid.
async function draftOrder(ids, c, items) {
  const draft = (await post("/admin/draft-orders", {
    email: c.email, customer_id: ids.customer_ids[c.key], region_id: ids.region_id,
    sales_channel_id: ids.sales_channel_id,
    items: items.map(([sku, quantity]) => ({ variant_id: ids.variant_ids[sku], quantity })),
    shipping_address: address(c), billing_address: address(c),
    shipping_methods: [{ shipping_option_id: ids.shipping_option_id, name: "顺丰速运", amount: 12 }],
  })).draft_order
  return (await post(`/admin/draft-orders/${draft.id}/convert-to-order`)).order.id
}

async function order(id, fields) {
  return (await get(`/admin/orders/${id}?fields=${fields}`)).order
}

async function capture(id) {
  const o = await order(id, "id,*payment_collections,*payment_collections.payments")
  const pay = o.payment_collections[0].payments[0]
  await post(`/admin/payments/${pay.id}/capture`, {})
  return pay.id
}

async function markPaid(id) {
  const o = await order(id, "id,summary")
  const pc = (await post("/admin/payment-collections", {
    order_id: id, amount: Number(o.summary.pending_difference),
  })).payment_collection
  await post(`/admin/payment-collections/${pc.id}/mark-as-paid`, { order_id: id })
}

// ship: fulfil every item, then a shipment with a tracking number; returns the fulfillment.
async function ship(ids, id, tracking) {
  const o = await order(id, "id,*items")
  const items = o.items.map((i) => ({ id: i.id, quantity: Number(i.quantity) }))
  const fo = (await post(`/admin/orders/${id}/fulfillments?fields=id,*fulfillments`, {
    items, location_id: ids.stock_location_id,
  })).order
  const ful = fo.fulfillments[fo.fulfillments.length - 1]
  await post(`/admin/orders/${id}/fulfillments/${ful.id}/shipments`, {
    items, labels: [{ tracking_number: tracking, tracking_url: "#", label_url: "#" }],
  })
  return ful.id
}

async function deliver(id, fulId) {
  await post(`/admin/orders/${id}/fulfillments/${fulId}/mark-as-delivered`, {})
}

async function itemOf(ids, id, sku) {
  const o = await order(id, "id,*items")
  return o.items.find((i) => i.variant_id === ids.variant_ids[sku])
}

async function orders(ids) {
  const [zhang, wang, li, liu] = CUSTOMERS
  const o = {}
  const out = { tracking_number: "SF1400000000001" }

  let reason = (await get("/admin/return-reasons?value=size")).return_reasons?.find((r) => r.value === "size")
  if (!reason) reason = (await post("/admin/return-reasons", { value: "size", label: "尺码不合适" })).return_reason
  out.return_reason_id = reason.id

  // shipped, with the percentage coupon
  o.shipped = await cartOrder(ids, zhang, [["TEE-WHT-M", 2], ["CUP-500-SLV", 1]], ["XINKE10"])
  await capture(o.shipped)
  out.shipped_fulfillment_id = await ship(ids, o.shipped, out.tracking_number)

  // delivered: a draft order paid by the merchant
  o.delivered = await draftOrder(ids, wang, [["CUP-500-SLV", 2]])
  await markPaid(o.delivered)
  await deliver(o.delivered, await ship(ids, o.delivered, "SF1400000000002"))

  // returned: delivered, 1 of the 2 T-shirts comes back, refunded in part
  o.returned = await cartOrder(ids, li, [["TEE-WHT-M", 2], ["EAR-STD", 1]])
  const payReturned = await capture(o.returned)
  await deliver(o.returned, await ship(ids, o.returned, "SF1400000000003"))
  const tee = await itemOf(ids, o.returned, "TEE-WHT-M")
  const ret = (await post("/admin/returns", {
    order_id: o.returned, location_id: ids.stock_location_id, description: "尺码偏小",
  })).return
  await post(`/admin/returns/${ret.id}/request-items`, { items: [{ id: tee.id, quantity: 1, reason_id: reason.id }] })
  await post(`/admin/returns/${ret.id}/shipping-method`, { shipping_option_id: ids.return_shipping_option_id, custom_amount: 0 })
  await post(`/admin/returns/${ret.id}/request`, {})
  await post(`/admin/returns/${ret.id}/receive`, {})
  await post(`/admin/returns/${ret.id}/receive-items`, { items: [{ id: tee.id, quantity: 1 }] })
  await post(`/admin/returns/${ret.id}/receive/confirm`, {})
  const after = await order(o.returned, "id,summary")
  const owed = -Number(after.summary.pending_difference)
  out.refund_amount = owed > 0 ? owed : 129.9
  const refunded = (await post(`/admin/payments/${payReturned}/refund?fields=id,*refunds`, {
    amount: out.refund_amount, note: "退货退款",
  })).payment
  out.return_id = ret.id
  out.refund_id = refunded.refunds[refunded.refunds.length - 1].id

  // exchange: delivered, M exchanged for L, requested only
  o.exchange = await cartOrder(ids, liu, [["TEE-WHT-M", 1]])
  await capture(o.exchange)
  await deliver(o.exchange, await ship(ids, o.exchange, "SF1400000000004"))
  const teeM = await itemOf(ids, o.exchange, "TEE-WHT-M")
  const ex = (await post("/admin/exchanges", { order_id: o.exchange, description: "换大一码" })).exchange
  await post(`/admin/exchanges/${ex.id}/inbound/items`, { items: [{ id: teeM.id, quantity: 1, reason_id: reason.id }] })
  await post(`/admin/exchanges/${ex.id}/outbound/items`, { items: [{ variant_id: ids.variant_ids["TEE-WHT-L"], quantity: 1 }] })
  await post(`/admin/exchanges/${ex.id}/inbound/shipping-method`, { shipping_option_id: ids.return_shipping_option_id, custom_amount: 0 })
  await post(`/admin/exchanges/${ex.id}/outbound/shipping-method`, { shipping_option_id: ids.shipping_option_id, custom_amount: 0 })
  await post(`/admin/exchanges/${ex.id}/request`, {})
  out.exchange_id = ex.id

  // paid, awaiting shipment
  o.paid = await cartOrder(ids, wang, [["CUP-500-RSG", 1], ["TEE-WHT-M", 1]])
  await capture(o.paid)

  // the campaign's fixed-amount item promotion
  o.promo = await cartOrder(ids, zhang, [["EAR-STD", 1]], ["JIAN20"])
  await capture(o.promo)

  // authorized, not captured
  o.authorized = await cartOrder(ids, li, [["EAR-ANC", 1]])

  // not paid, and canceled
  o.unpaid = await draftOrder(ids, liu, [["TEE-WHT-L", 1]])
  o.unpaid2 = await draftOrder(ids, zhang, [["CUP-500-SLV", 3], ["EAR-STD", 1]])
  o.canceled = await draftOrder(ids, wang, [["TEE-WHT-M", 1]])
  await post(`/admin/orders/${o.canceled}/cancel`, {})

  out.orders = o
  out.order_count = Object.keys(o).length
  const disp = {}
  for (const [role, id] of Object.entries(o)) disp[role] = (await order(id, "id,display_id")).display_id
  out.display_ids = disp
  return out
}

async function main() {
  TOKEN = (await post("/auth/user/emailpass", { email: EMAIL, password: PASSWORD })).token
  const store = (await get("/admin/stores?fields=id,metadata")).stores[0]
  let ids
  let reused = false
  const prev = store.metadata?.[MARK]
  if (prev) {
    ids = JSON.parse(prev)
    PK = ids.publishable_key
    reused = true
  } else {
    ids = await setup()
    Object.assign(ids, await orders(ids))
    ids.seed_version = MARK_VERSION
    await post(`/admin/stores/${ids.store_id}`, { metadata: { ...(store.metadata || {}), [MARK]: JSON.stringify(ids) } })
  }
  const sk = (await post("/admin/api-keys", { title: "shopdesk-test", type: "secret" })).api_key
  const result = {
    ...ids, reused, secret_api_key_id: sk.id, secret_api_key: sk.token, admin_token: TOKEN,
    requests: nreq, seconds: (Date.now() - t0) / 1000,
  }
  process.stdout.write(JSON.stringify(result) + "\n")
  process.stderr.write(`seed: ${reused ? "reused the store" : "seeded"} in ${result.seconds} s, ${nreq} requests\n`)
}

main().catch((e) => {
  process.stderr.write(`seed: ${e.message}\n`)
  process.exit(1)
})
