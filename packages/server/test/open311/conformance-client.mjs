#!/usr/bin/env node
/**
 * An independent Open311 GeoReport v2 client for conformance runs: plain Node, no project code. It
 * walks the sequence the spec documents (wiki.open311.org/GeoReport_v2: discovery, service list,
 * service definition, POST a request with the example's form parameters in the example's order, GET
 * it, GET the list with the sample URL's filters, tokens, errors) and checks each response against
 * the structure of the spec's examples: root element, item element, field names in the examples'
 * order, the XML declaration, content types, JSON as the Spark mapping of the XML.
 *
 *   node conformance-client.mjs <base-url-of-open311/v2> <api_key> <jurisdiction_id> <lat> <long>
 * Prints one JSON line {passed, failed, checks:[…]} and exits non-zero on any failure.
 */
const [base, apiKey, jurisdiction, lat, long] = process.argv.slice(2);
if (!long) {
  console.error('usage: conformance-client.mjs BASE API_KEY JURISDICTION LAT LONG');
  process.exit(2);
}

// Field names of each resource, in the order the spec's example responses list them.
const SERVICE = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
const DEFINITION_ATTRIBUTE = [
  'variable',
  'code',
  'datatype',
  'required',
  'datatype_description',
  'order',
  'description',
  'values',
];
const POST_RESPONSE = ['service_request_id', 'service_notice', 'account_id'];
const REQUEST = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];
const DISCOVERY = ['changeset', 'contact', 'key_service', 'endpoints'];
const ENDPOINT = ['specification', 'url', 'changeset', 'type', 'formats'];
const ERROR = ['code', 'description'];
const W3 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

const checks = [];
const check = (name, ok, detail) => checks.push({ name, ok: Boolean(ok), ...(ok ? {} : { detail }) });

/** A small XML reader: elements, text and empty elements (the spec's XML has no attributes). */
function parseXml(text) {
  const decl = /^<\?xml version="1\.0" encoding="utf-8"\?>/i.test(text);
  const body = text.replace(/^<\?xml[^>]*\?>\s*/, '');
  let i = 0;
  function node() {
    const open = /^<([A-Za-z_][\w.-]*)\s*(\/?)>/.exec(body.slice(i));
    if (!open) throw new Error(`bad xml at ${i}: ${body.slice(i, i + 40)}`);
    i += open[0].length;
    const name = open[1];
    if (open[2]) return { name, children: [], text: '' };
    const children = [];
    let text = '';
    for (;;) {
      const rest = body.slice(i);
      if (rest.startsWith(`</${name}>`)) {
        i += name.length + 3;
        break;
      }
      if (/^\s*</.test(rest) && !/^\s*<\//.test(rest)) {
        i += /^\s*/.exec(rest)[0].length;
        children.push(node());
        continue;
      }
      const t = /^[^<]*/.exec(rest)[0];
      if (!t.length && /^\s*<\//.test(rest)) {
        i += /^\s*/.exec(rest)[0].length;
        continue;
      }
      text += t;
      i += t.length;
    }
    return { name, children, text: text.trim() };
  }
  return { decl, root: node() };
}

async function get(path, accept) {
  const res = await fetch(`${base}${path}`, { headers: accept ? { accept } : {} });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function post(path, form) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: form,
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const names = (el) => el.children.map((c) => c.name);
const sameOrder = (got, want) => JSON.stringify(got) === JSON.stringify(want);

try {
  // Service discovery (both formats are required).
  const dx = await get('/discovery.xml');
  const d = parseXml(dx.text);
  check(
    'discovery.xml is text/xml with the XML declaration',
    dx.status === 200 && dx.type.startsWith('text/xml') && d.decl,
    dx,
  );
  check('discovery fields', d.root.name === 'discovery' && sameOrder(names(d.root), DISCOVERY), names(d.root));
  const ep = d.root.children.find((c) => c.name === 'endpoints').children[0];
  check('discovery endpoint fields', sameOrder(names(ep), ENDPOINT), names(ep));
  check(
    'discovery names the GeoReport v2 specification and JSON',
    ep.children[0].text === 'http://wiki.open311.org/GeoReport_v2' &&
      ep.children.find((c) => c.name === 'formats').children.some((f) => f.text === 'application/json'),
  );
  const dj = await get('/discovery.json');
  check('discovery.json is application/json', dj.type.startsWith('application/json'), dj.type);
  check('discovery.json mirrors the XML', sameOrder(Object.keys(JSON.parse(dj.text)), DISCOVERY));

  // GET Service List
  const sx = await get(`/services.xml?jurisdiction_id=${jurisdiction}`);
  const s = parseXml(sx.text);
  check(
    'services root and items',
    s.root.name === 'services' && s.root.children.every((c) => c.name === 'service'),
    s.root.name,
  );
  const svc = s.root.children[0];
  check('service fields in the example order', sameOrder(names(svc), SERVICE), names(svc));
  check(
    'metadata is true|false and type realtime|batch|blackbox',
    ['true', 'false'].includes(svc.children[3].text) &&
      ['realtime', 'batch', 'blackbox'].includes(svc.children[4].text),
  );
  const code = svc.children[0].text;
  const sj = JSON.parse((await get('/services.json')).text);
  check(
    'services.json is an array of the same services',
    Array.isArray(sj) && sj.length === s.root.children.length && sameOrder(Object.keys(sj[0]), SERVICE),
  );

  // GET Service Definition
  const defx = parseXml((await get(`/services/${code}.xml?jurisdiction_id=${jurisdiction}`)).text);
  check(
    'service_definition root',
    defx.root.name === 'service_definition' && sameOrder(names(defx.root), ['service_code', 'attributes']),
    names(defx.root),
  );
  const attr = defx.root.children[1].children[0];
  check(
    'attribute fields in the example order',
    attr.name === 'attribute' && sameOrder(names(attr), DEFINITION_ATTRIBUTE),
    names(attr),
  );
  check(
    'attribute values are value/key/name',
    attr.children[7].children.every((v) => v.name === 'value' && sameOrder(names(v), ['key', 'name'])),
  );
  const defj = JSON.parse((await get(`/services/${code}.json`)).text);
  check(
    'service definition JSON is an object with attributes',
    defj.service_code === code && Array.isArray(defj.attributes),
  );

  // POST Service Request: the example's parameters, in the example's order.
  const form = [
    ['api_key', apiKey],
    ['jurisdiction_id', jurisdiction],
    ['service_code', code],
    ['lat', lat],
    ['long', long],
    ['address_string', '渝中区解放碑街道民族路100号'],
    ['email', 'smit333@example.org'],
    ['device_id', 'tt222111'],
    ['account_id', '123456'],
    ['first_name', 'john'],
    ['last_name', 'smith'],
    ['phone', '111111111'],
    ['description', '民族路人行道上有一个大坑，路面正在塌陷'],
    ['media_url', 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg'],
    ['attribute[request_type]', 'complaint'],
  ]
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%20/g, '+')}`)
    .join('&');
  const px = await post('/requests.xml', form);
  const p = parseXml(px.text);
  check('POST answers 200 text/xml', px.status === 200 && px.type.startsWith('text/xml'), px);
  const created = p.root.children[0];
  check('POST response is service_requests/request', p.root.name === 'service_requests' && created.name === 'request');
  check('POST response fields in the example order', sameOrder(names(created), POST_RESPONSE), names(created));
  check('account_id echoes the submitted account', created.children[2].text === '123456', created.children[2]);
  const id = created.children[0].text;

  // GET Service Request
  const one = parseXml((await get(`/requests/${id}.xml?jurisdiction_id=${jurisdiction}`)).text);
  const req = one.root.children[0];
  check(
    'GET request fields in the example order',
    one.root.name === 'service_requests' && sameOrder(names(req), REQUEST),
    names(req),
  );
  const field = (n) => req.children.find((c) => c.name === n).text;
  check('status is open|closed', ['open', 'closed'].includes(field('status')));
  check(
    'datetimes are W3C with a timezone',
    W3.test(field('requested_datetime')) && W3.test(field('updated_datetime')),
    field('requested_datetime'),
  );
  check(
    'lat/long round-trip',
    Math.abs(Number(field('lat')) - Number(lat)) < 1e-6 && Math.abs(Number(field('long')) - Number(long)) < 1e-6,
  );
  const oneJ = JSON.parse((await get(`/requests/${id}.json`)).text);
  check(
    'GET request JSON is a one-element array',
    Array.isArray(oneJ) &&
      oneJ.length === 1 &&
      oneJ[0].service_request_id === id &&
      sameOrder(Object.keys(oneJ[0]), REQUEST),
  );

  // GET Service Requests with the sample URL's filters
  const now = new Date();
  const from = new Date(now.getTime() - 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const to = new Date(now.getTime() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const lx = parseXml(
    (await get(`/requests.xml?start_date=${from}&end_date=${to}&status=open&jurisdiction_id=${jurisdiction}`)).text,
  );
  check(
    'GET requests lists the new request',
    lx.root.children.some((r) => r.children[0].text === id),
  );
  const ids = parseXml((await get(`/requests.xml?service_request_id=${id}`)).text);
  check('service_request_id overrides the other arguments', ids.root.children.length === 1);

  // Errors: 403 for a wrong key, 404 for what does not exist, the errors/error body.
  const bad = await post('/requests.xml', `api_key=wrong&service_code=${code}&lat=${lat}&long=${long}`);
  const be = parseXml(bad.text);
  check(
    'wrong api_key → 403 errors/error{code,description}',
    bad.status === 403 &&
      be.root.name === 'errors' &&
      sameOrder(names(be.root.children[0]), ERROR) &&
      be.root.children[0].children[0].text === '403',
    bad,
  );
  const nf = await get('/requests/GD00000000000000.json');
  const nfj = JSON.parse(nf.text);
  check(
    'unknown request → 404 JSON error list',
    nf.status === 404 && Array.isArray(nfj) && sameOrder(Object.keys(nfj[0]), ERROR),
    nf,
  );
  const badj = await get('/services.xml?jurisdiction_id=other.example');
  check('unknown jurisdiction → 404', badj.status === 404, badj.status);
  const tok = await get('/tokens/unknowntoken1.xml');
  check('unknown token → 404', tok.status === 404, tok.status);
} catch (err) {
  check('client ran to the end', false, String(err?.stack ?? err));
}

const failed = checks.filter((c) => !c.ok);
console.log(
  JSON.stringify({
    passed: checks.length - failed.length,
    failed: failed.length,
    checks: failed.length ? failed : undefined,
  }),
);
process.exit(failed.length ? 1 : 0);
