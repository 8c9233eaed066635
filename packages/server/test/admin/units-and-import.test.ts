import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const send = (method: string, url: string, payload?: unknown, who: Parameters<TestApp['as']>[0] = 'admin') =>
  t.app.inject({ method: method as 'POST', url, headers: t.as(who), payload: payload as object });
const upload = (kind: string, body: Buffer | string, contentType = 'text/csv', query = '') =>
  t.app.inject({
    method: 'POST',
    url: `/api/admin/import/${kind}${query}`,
    headers: { ...t.as('admin'), 'content-type': contentType },
    payload: body,
  });
const unitCount = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM units')).rows[0]!.n;
const categoryCount = async () =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM catalogue_categories')).rows[0]!.n;
const counts = async () => ({
  ...(await rowCounts(t.db)),
  units: await unitCount(),
  categories: await categoryCount(),
});

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet('导入');
  for (const r of rows) s.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('units: an administrator adds one and it can be dispatched to', () => {
  it('creates a district department that the centre then assigns an order to, and that can be disabled', async () => {
    const res = await send('POST', '/api/admin/units', {
      id: 'd500103.sports',
      name: '渝中区体育局',
      kind: 'district_department',
      districtCode: '500103',
      parentId: 'd500103.agency',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      desk: 'hotline',
      districtName: '渝中区',
      parentName: expect.any(String),
      active: true,
    });
    const listed = await send('GET', '/api/reference/units?q=体育局&districtCode=500103', undefined, 'callTaker');
    expect(listed.json().map((u: { id: string }) => u.id)).toContain('d500103.sports');
    const order = await send('POST', '/api/work-orders', sampleOrder({ leadUnitId: 'd500103.sports' }), 'callTaker');
    expect(order.statusCode, order.body).toBe(201);
    expect(order.json().leadUnitId).toBe('d500103.sports');

    const off = await send('PATCH', '/api/admin/units/d500103.sports', { active: false });
    expect(off.json().active).toBe(false);
    const refused = await send('POST', '/api/work-orders', sampleOrder({ leadUnitId: 'd500103.sports' }), 'callTaker');
    expect(refused.json().code).toBe('UNIT_NOT_ASSIGNABLE');
    const page = (await send('GET', '/api/admin/units?q=体育局')).json();
    expect(page).toMatchObject({ total: 1, items: [{ id: 'd500103.sports', active: false }] });
    await send('PATCH', '/api/admin/units/d500103.sports', { active: true });
  });

  it.each([
    [
      { id: 'd500103.sports', name: '另一个单位', kind: 'district_department', districtCode: '500103' },
      409,
      'UNIT_ID_TAKEN',
    ],
    [
      { id: 'd500103.sports2', name: '渝中区体育局', kind: 'district_department', districtCode: '500103' },
      409,
      'UNIT_NAME_TAKEN',
    ],
    [{ id: 'd500103.x1', name: '某街道', kind: 'street_office', districtCode: '500103' }, 422, 'UNIT_INVALID'],
    [{ id: 'd500103.x2', name: '某部门', kind: 'district_department' }, 422, 'UNIT_INVALID'],
    [
      { id: 'd500103.x3', name: '某街道2', kind: 'street_office', districtCode: '500105', streetCode: '500103003' },
      422,
      'STREET_NOT_IN_DISTRICT',
    ],
    [{ id: 'd500103.x4', name: '某部门4', kind: 'city_department', parentId: 'no.such' }, 422, 'REFERENCE_NOT_FOUND'],
    [{ id: 'Bad Id', name: '某部门5', kind: 'city_department' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %j with %i %s and changes nothing', async (body, status, code) => {
    const before = await counts();
    const res = await send('POST', '/api/admin/units', body);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(code);
    expect(await counts()).toEqual(before);
  });

  it('keeps a unit kind, refuses unknown units, and lets only administrators in', async () => {
    expect((await send('PATCH', '/api/admin/units/no.such', { active: false })).json().code).toBe('UNIT_NOT_FOUND');
    expect((await send('PATCH', '/api/admin/units/d500103.sports', { parentId: 'd500103.sports' })).json().code).toBe(
      'UNIT_INVALID',
    );
    expect((await send('GET', '/api/admin/units', undefined, 'supervisor')).json().code).toBe('FORBIDDEN');
    expect((await send('POST', '/api/admin/categories', { code: 'ZZ', name: 'x' }, 'callTaker')).json().code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('the dispatch catalogue (派单目录)', () => {
  it('adds an entry under a parent, and a disabled entry leaves the call-takers’ list', async () => {
    const res = await send('POST', '/api/admin/categories', {
      code: 'CSGL08',
      name: '共享单车停放',
      parentCode: 'CSGL',
      defaultUnitKind: 'district_department',
      defaultFunction: 'urban-mgmt',
    });
    expect(res.statusCode, res.body).toBe(201);
    const codes = async () =>
      (await send('GET', '/api/reference/categories', undefined, 'callTaker'))
        .json()
        .map((c: { code: string }) => c.code);
    expect(await codes()).toContain('CSGL08');
    await send('PATCH', '/api/admin/categories/CSGL08', { active: false });
    expect(await codes()).not.toContain('CSGL08');
    expect((await send('GET', '/api/admin/categories')).json()).toContainEqual(
      expect.objectContaining({ code: 'CSGL08', active: false }),
    );
  });

  it.each([
    [{ code: 'CSGL08', name: '重复' }, 409, 'CATEGORY_CODE_TAKEN'],
    [{ code: 'QQ01', name: '无上级', parentCode: 'QQ' }, 422, 'REFERENCE_NOT_FOUND'],
    [{ code: 'qq', name: '小写' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %j with %i %s', async (body, status, code) => {
    const before = await counts();
    const res = await send('POST', '/api/admin/categories', body);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(code);
    expect(await counts()).toEqual(before);
    expect((await send('PATCH', '/api/admin/categories/NOPE', { name: 'x' })).json().code).toBe('CATEGORY_NOT_FOUND');
  });
});

describe('bulk import of a city’s units, users and catalogue', () => {
  it('imports units from CSV: labels and names for codes, a parent defined further down, one audit entry', async () => {
    const csv = [
      '单位编码*,单位名称,单位类型,区县,街道,上级单位',
      'd500103.sports-youth,渝中区青少年体育中心,区县部门,渝中区,,渝中区体育总会',
      'd500103.sports-union,渝中区体育总会,district_department,500103,,d500103.agency',
      's500103.x-office,渝中区解放碑街道便民服务中心,街道（镇、乡）,渝中区,解放碑街道,',
    ].join('\r\n');
    const dry = await upload('units', csv, 'text/csv', '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toEqual({ kind: 'units', dryRun: true, rows: 3, created: 3, updated: 0 });
    expect(
      (await t.db.query("SELECT 1 FROM units WHERE id = 'd500103.sports-youth'")).rowCount,
      'a dry run writes nothing',
    ).toBe(0);
    const res = await upload('units', csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 3, created: 3, updated: 0 });
    const youth = await t.db.query("SELECT parent_id, desk FROM units WHERE id = 'd500103.sports-youth'");
    expect(youth.rows[0]).toEqual({ parent_id: 'd500103.sports-union', desk: 'hotline' });
    const office = await t.db.query("SELECT street_code FROM units WHERE id = 's500103.x-office'");
    expect(office.rows[0]!.street_code).toMatch(/^500103\d{3}$/);
    const audit = await t.db.query("SELECT details FROM admin_audit WHERE action = 'import.units'");
    expect(audit.rows).toEqual([{ details: { rows: 3, created: 3, updated: 0 } }]);
    // The same file again updates, and creates nothing.
    expect((await upload('units', csv)).json()).toMatchObject({ created: 0, updated: 3 });
  });

  it('refuses a file with one bad row among good ones, naming each row and column, and writes nothing', async () => {
    const before = await counts();
    const csv = [
      '单位编码,单位名称,单位类型,区县,街道,上级单位',
      'd500103.good-one,渝中区某好单位,区县部门,渝中区,,',
      'd500103.bad-kind,渝中区某坏单位,区级机关,渝中区,,',
      'd500103.no-district,渝中区某单位二,区县部门,,,',
      'd500103.good-one,渝中区重复单位,区县部门,渝中区,,',
      'd500103.clash,渝中区体育局,区县部门,火星区,,',
    ].join('\n');
    const res = await upload('units', csv);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('IMPORT_ROWS_INVALID');
    expect(body.message).toBe('共5行，其中4行有错误，未导入任何数据');
    expect(body.details.errors).toEqual(
      expect.arrayContaining([
        { row: 3, column: '单位类型', message: '单位类型无效：区级机关' },
        { row: 4, column: '区县', message: '该类型的单位须指定所属区县' },
        { row: 5, column: '单位编码', message: '单位编码与第2行重复' },
        { row: 6, column: '单位名称', message: '单位名称已被“d500103.sports”使用' },
        { row: 6, column: '区县', message: '区县不存在：火星区' },
      ]),
    );
    expect(body.details.errors.some((e: { row: number }) => e.row === 2)).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('imports users from an .xlsx workbook; they log in, scoped to their unit', async () => {
    const file = await xlsx([
      ['用户名', '姓名', '角色', '所属单位', '区县', '初始密码'],
      ['tiyu01', '周敏', '承办单位经办人', '渝中区体育局', '', 'Chongqing@2026'],
      ['yzagency9', '吴刚', '区县热线机构', '', '渝中区', 'Chongqing@2026'],
    ]);
    const res = await upload('users', file, XLSX);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'users', rows: 2, created: 2 });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'tiyu01', password: 'Chongqing@2026' },
    });
    expect(login.statusCode).toBe(200);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${login.json().token}` } });
    expect(me.json()).toMatchObject({ displayName: '周敏', role: 'department_handler', unitId: 'd500103.sports' });
  });

  it('refuses users without a password or with a weak one, a handler without a unit, an unknown role', async () => {
    const before = await counts();
    const file = await xlsx([
      ['用户名', '姓名', '角色', '所属单位', '区县', '初始密码'],
      ['newbie1', '新人', '12345话务员', '', '', ''],
      ['newbie2', '新人二', '承办单位经办人', '', '', 'Chongqing@2026'],
      ['newbie3', '新人三', '局长', '', '', 'Chongqing@2026'],
      ['newbie4', '新人四', '12345话务员', '', '', 'Password@2026'],
    ]);
    const res = await upload('users', file, XLSX);
    expect(res.json().details.errors).toEqual([
      { row: 2, column: '初始密码', message: '新用户须有初始密码' },
      { row: 3, column: '所属单位', message: '承办单位经办人须指定所属单位' },
      { row: 4, column: '角色', message: '角色无效：局长' },
      { row: 5, column: '初始密码', message: '密码过于常见或简单，容易被猜到，请换一个' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('imports the catalogue from a GB18030 CSV as Excel saves it on a Chinese Windows', async () => {
    const text =
      '目录编码,目录名称,上级编码,主办单位类型,职能代码\r\nTYJS,体育健身,,区县部门,sports\r\nTYJS01,健身设施损坏,TYJS,,\r\n';
    const encoded = encodeGb18030(text)!;
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(encoded), 'not UTF-8').toThrow();
    const res = await upload('categories', encoded);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 2, created: 2 });
    const rows = await t.db.query(
      "SELECT code, name, parent_code FROM catalogue_categories WHERE code LIKE 'TYJS%' ORDER BY code",
    );
    expect(rows.rows).toEqual([
      { code: 'TYJS', name: '体育健身', parent_code: null },
      { code: 'TYJS01', name: '健身设施损坏', parent_code: 'TYJS' },
    ]);
  });

  it.each([
    ['an empty file', '', 'text/csv', '文件为空'],
    ['a header it does not know', '编码,名称\nA,b\n', 'text/csv', '无法识别的列：编码、名称（请使用模板中的列名）'],
    ['a missing required column', '单位编码,单位名称\nd1.x,某\n', 'text/csv', '缺少必填列：单位类型'],
    ['headers only', '单位编码,单位名称,单位类型\n', 'text/csv', '文件中没有数据行'],
    ['a broken workbook', Buffer.from('PK\u0003\u0004garbage'), XLSX, '文件无法读取：不是有效的 Excel 工作簿（.xlsx）'],
  ])('refuses %s as a whole (IMPORT_FILE_INVALID)', async (_name, body, type, message) => {
    const before = await counts();
    const res = await upload('units', body, type);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'IMPORT_FILE_INVALID', message });
    expect(await counts()).toEqual(before);
  });

  it('hands out templates whose example rows import as they are', async () => {
    const res = await t.app.inject({ url: '/api/admin/import/categories/template', headers: t.as('admin') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['派单目录', '说明']);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([
      undefined,
      '目录编码*',
      '目录名称*',
      '上级编码',
      '主办单位类型',
      '职能代码',
    ]);
    await t.db.query("DELETE FROM catalogue_categories WHERE code = 'CSGL08'");
    const again = await upload('categories', res.rawPayload, XLSX);
    expect(again.statusCode, again.body).toBe(200);
    const csv = await t.app.inject({ url: '/api/admin/import/users/template?format=csv', headers: t.as('admin') });
    expect(csv.body.startsWith('\ufeff用户名,姓名,角色,所属单位,区县,初始密码\r\n')).toBe(true);
    expect(
      (await t.app.inject({ url: '/api/admin/import/users/template', headers: t.as('supervisor') })).statusCode,
    ).toBe(403);
  });
});

/** GB18030 bytes of a text, from the decoder's table (Node ships a decoder but no encoder for it). */
function encodeGb18030(text: string): Buffer | null {
  const dec = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = dec.decode(Uint8Array.of(hi, lo));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else {
      const b = table.get(ch);
      if (!b) return null;
      out.push(...b);
    }
  }
  return Buffer.from(out);
}
