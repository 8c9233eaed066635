/**
 * The public guide (宣传受理范围) as plain HTML from the server: indexable by search engines, readable
 * without JavaScript or log-in, on a phone as on a desk. Generated on each request (cached a minute)
 * from the jurisdiction catalogue in force and the knowledge base, and it says which catalogue version.
 */
import { ROUTE_LABELS, type GuideItem, type PublicGuide, type Route } from '@liandong/domain';

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const examples = (i: GuideItem) =>
  i.examples.length ? `<span class="ex">例如：${i.examples.map((x) => `“${esc(x)}”`).join('；')}</span>` : '';
/** Matters with examples one a line; the rest in a compact run after them. */
const items = (list: GuideItem[]) => {
  const told = list.filter((i) => i.examples.length);
  const named = list.filter((i) => !i.examples.length);
  const li = (i: GuideItem) => `<li data-code="${esc(i.code)}"><b>${esc(i.name)}</b>${examples(i)}</li>`;
  return `${told.length ? `<ul>${told.map(li).join('')}</ul>` : ''}${named.length ? `<ul class="run">${named.map(li).join('')}</ul>` : ''}`;
};
const routeName = (r: Route) => esc(ROUTE_LABELS[r] ?? r);

export function renderGuidePage(g: PublicGuide): string {
  const lines = g.lines
    .map(
      (l) => `<section class="line${l.emergency ? ' emergency' : ''}" id="line-${esc(l.route)}">
<h2>${esc(l.name)}</h2>
<p class="dial">${esc(l.dial)}</p>
<p>${esc(l.scope)}</p>
${l.dangers.length ? `<h3>正在发生的危险，请立即拨打</h3>${items(l.dangers)}` : ''}
${l.matters.length ? `<h3>${l.emergency ? '其他受理事项' : '受理事项'}</h3>${items(l.matters)}` : ''}
${
  l.topics.length
    ? `<h3>常见政策咨询（政策知识库在效知识 ${g.knowledge.articles} 篇）</h3><ul class="topics">${l.topics
        .map(
          (t) =>
            `<li><b>${esc(t.topic)}</b>（${t.count} 篇）<span class="ex">如：${t.titles.map(esc).join('、')}</span></li>`,
        )
        .join('')}</ul>`
    : ''
}
</section>`,
    )
    .join('\n');
  const boundary = g.boundary
    .map(
      (b) =>
        `<li data-code="${esc(b.code)}"><b>${esc(b.name)}</b>：由${routeName(b.lead)}受理${b.joins.length ? `，${b.joins.map(routeName).join('、')}配合` : ''}${examples(b)}</li>`,
    )
    .join('');
  const elsewhere = g.elsewhere
    .map((e) => `<li data-code="${esc(e.code)}"><b>${esc(e.name)}</b>：${esc(e.guidance)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="index, follow">
<link rel="icon" href="data:,">
<title>遇事打哪个电话：12345、110、119、120等受理范围</title>
<meta name="description" content="12345政务服务便民热线与110、119、120、水电气抢修、综治中心、挪车服务各自受理什么事，附常见事例。依据职责清单第${g.catalogue.version}版。">
<style>
body{margin:0;font:15px/1.65 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2329;background:#f5f6f7}
header{background:#1677ff;color:#fff;padding:16px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0}
main{max-width:880px;margin:0 auto;padding:12px}
nav{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}nav a{background:#fff;border-radius:16px;padding:2px 12px;text-decoration:none;color:#1677ff}
.rule{background:#fff1f0;border-left:4px solid #cf1322;padding:10px 12px;border-radius:4px;margin:10px 0}
.line,.box{background:#fff;border-radius:8px;padding:12px 14px;margin:12px 0}.line.emergency{border-top:4px solid #cf1322}
.line h2{margin:0 0 4px;font-size:19px}.line h3{font-size:15px;margin:10px 0 4px}
.dial{font-weight:600;color:#1677ff;margin:2px 0 6px}
ul{margin:4px 0;padding-left:20px}li{margin:3px 0}.ex{display:block;color:#646a73;font-size:13px}
.version{color:#646a73;font-size:13px}
ul.run{padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:6px}ul.run li{background:#f0f5ff;border-radius:4px;padding:0 8px;margin:0}ul.run b{font-weight:normal}
</style>
</head>
<body>
<header><h1>遇事打哪个电话</h1><p>12345、110、119、120、水电气抢修、综治中心、挪车服务各自受理什么事</p></header>
<main>
<p class="version" data-testid="guide-version">本页依据12345与110职责清单第 ${g.catalogue.version} 版（${esc(g.catalogue.effectiveFrom)} 起施行）和政策知识库（截至 ${esc(g.knowledge.asOf)}）生成，清单更新后随即更新。清单依据：${esc(g.catalogue.source)}</p>
<p class="rule">${esc(g.rules.danger)}</p>
<nav>${g.lines.map((l) => `<a href="#line-${esc(l.route)}">${esc(l.name)}</a>`).join('')}<a href="#boundary">职责交叉事项</a><a href="#elsewhere">其他渠道</a></nav>
${lines}
<section class="box" id="boundary"><h2>职责交叉事项</h2><p>${esc(g.rules.boundary)}</p><ul>${boundary}</ul></section>
<section class="box" id="elsewhere"><h2>不属于12345和110受理的事项</h2><p>${esc(g.rules.neither)}</p><ul>${elsewhere}</ul></section>
<p><a href="/m/">我要反映诉求</a> · <a href="/m/status">查询办理进度</a> · <a href="/disclosure">工单办理情况公开</a></p>
</main>
</body>
</html>`;
}
