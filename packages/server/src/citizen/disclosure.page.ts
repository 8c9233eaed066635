/**
 * The public disclosure list as plain HTML from the server: indexable by search engines, readable
 * without JavaScript or log-in, cached briefly (plan task 7: 公开工单办理情况).
 */
const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const SATISFACTION: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};
const pct = (n: number, d: number) => (d ? `${Math.round((n / d) * 1000) / 10}%` : '—');
const day = (d: Date | null) => (d ? new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10) : '');

export function renderDisclosurePage(p: {
  rows: {
    no: string;
    public_title: string;
    public_reply: string;
    category_name: string;
    district_name: string | null;
    street_name: string | null;
    received_at: Date;
    replied_at: Date | null;
    satisfaction: string | null;
  }[];
  total: number;
  page: number;
  pageSize: number;
  figures: { rated: number; satisfied: number; basically: number };
  byDistrict: { district_code: string; district_name: string; handled: number; rated: number; satisfied: number }[];
  districts: { code: string; name: string }[];
  categories: { code: string; name: string }[];
  districtCode?: string;
  categoryCode?: string;
}): string {
  const q = (over: Record<string, string | number | undefined>) => {
    const u = new URLSearchParams();
    const v = { district: p.districtCode, category: p.categoryCode, page: p.page, ...over };
    for (const [k, x] of Object.entries(v))
      if (x !== undefined && x !== '' && !(k === 'page' && x === 1)) u.set(k, String(x));
    const s = u.toString();
    return s ? `?${s}` : '';
  };
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const items = p.rows
    .map(
      (r) => `<article class="item">
  <h2>${esc(r.public_title)}</h2>
  <p class="meta">${esc(r.category_name)} · ${esc([r.district_name, r.street_name].filter(Boolean).join(''))} · 受理 ${day(r.received_at)}${r.replied_at ? ` · 答复 ${day(r.replied_at)}` : ''}${r.satisfaction ? ` · 市民评价：${esc(SATISFACTION[r.satisfaction])}` : ''}</p>
  <p class="reply"><strong>办理答复：</strong>${esc(r.public_reply)}</p>
  <p class="no">工单编号 ${esc(r.no)}</p>
</article>`,
    )
    .join('\n');
  const options = (list: { code: string; name: string }[], sel?: string) =>
    list
      .map((x) => `<option value="${esc(x.code)}"${x.code === sel ? ' selected' : ''}>${esc(x.name)}</option>`)
      .join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>12345热线工单办理情况公开</title>
<meta name="description" content="12345政务服务便民热线已办结诉求的办理情况与市民满意度，经本人同意并由热线中心审核后公开，已隐去个人信息。">
<style>
body{margin:0;font:15px/1.6 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2329;background:#f5f6f7}
header{background:#1677ff;color:#fff;padding:16px}header h1{margin:0;font-size:20px}
main{max-width:880px;margin:0 auto;padding:12px}
.figures{display:flex;gap:12px;flex-wrap:wrap}.figure{background:#fff;border-radius:8px;padding:10px 14px;flex:1;min-width:140px}
.figure b{display:block;font-size:22px;color:#1677ff}
form{background:#fff;border-radius:8px;padding:10px;margin:12px 0;display:flex;gap:8px;flex-wrap:wrap}
select,button{font-size:15px;padding:6px}
.item{background:#fff;border-radius:8px;padding:12px 14px;margin:10px 0}.item h2{font-size:17px;margin:0 0 4px}
.meta,.no{color:#646a73;font-size:13px;margin:2px 0}.reply{margin:6px 0}
table{width:100%;background:#fff;border-collapse:collapse;border-radius:8px}td,th{padding:6px 8px;border-bottom:1px solid #eee;text-align:left}
nav{margin:12px 0}nav a{margin-right:12px}
</style>
</head>
<body>
<header><h1>12345热线工单办理情况公开</h1><div>经市民本人同意、热线中心审核后公开，已隐去个人信息</div></header>
<main>
<section class="figures">
  <div class="figure">公开工单<b>${p.total}</b></div>
  <div class="figure">参与评价<b>${p.figures.rated}</b></div>
  <div class="figure">满意率<b>${pct(p.figures.satisfied, p.figures.rated)}</b></div>
  <div class="figure">满意和基本满意<b>${pct(p.figures.satisfied + p.figures.basically, p.figures.rated)}</b></div>
</section>
<form method="get" action="/disclosure">
  <label>区县 <select name="district"><option value="">全部</option>${options(p.districts, p.districtCode)}</select></label>
  <label>类别 <select name="category"><option value="">全部</option>${options(p.categories, p.categoryCode)}</select></label>
  <button type="submit">筛选</button>
</form>
${items || '<p>暂无公开的办理情况。</p>'}
<nav>${p.page > 1 ? `<a href="/disclosure${q({ page: p.page - 1 })}">上一页</a>` : ''}第 ${p.page} / ${pages} 页${p.page < pages ? `<a href="/disclosure${q({ page: p.page + 1 })}" style="margin-left:12px">下一页</a>` : ''}</nav>
<h2>各区县公开办理情况</h2>
<table><thead><tr><th>区县</th><th>公开工单</th><th>参与评价</th><th>满意和基本满意</th></tr></thead><tbody>
${p.byDistrict.map((d) => `<tr><td><a href="/disclosure${q({ district: d.district_code, page: 1 })}">${esc(d.district_name)}</a></td><td>${d.handled}</td><td>${d.rated}</td><td>${pct(d.satisfied, d.rated)}</td></tr>`).join('\n')}
</tbody></table>
<p><a href="/m/">我要反映诉求</a> · <a href="/m/status">查询办理进度</a></p>
</main>
</body>
</html>`;
}
