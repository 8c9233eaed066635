/**
 * The public web channel (网页/移动端, 微信 H5 style): file a request, see the emergency numbers the
 * moment a danger is described, get a request number and a query code, follow the request.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, PublicError, type ChatTurn, type Filed, type Meta, type PublicStatus } from './api.ts';
import { ChatPage } from './ChatPage.tsx';
import { MapPicker } from './MapPicker.tsx';

const TYPE_NAMES: Record<string, string> = {
  help: '求助',
  complaint: '投诉',
  consultation: '咨询',
  suggestion: '建议',
  report: '举报',
};
const LINE_NAMES: Record<string, string> = { '110': '报警', '119': '火警', '120': '急救' };
const fmt = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });

function go(path: string) {
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

function usePath() {
  const [p, setP] = useState(location.pathname);
  useEffect(() => {
    const on = () => setP(location.pathname);
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return p;
}

function CallNow({ lines }: { lines: string[] }) {
  return (
    <div className="danger" role="alert">
      <strong>您描述的情况可能危及人身或财产安全，请立即拨打：</strong>
      <div className="lines">
        {lines.map((l) => (
          <a key={l} className="call" href={`tel:${l}`}>
            {l} {LINE_NAMES[l] ?? ''}
          </a>
        ))}
      </div>
      <span>网上诉求不能代替紧急电话。</span>
    </div>
  );
}

/** A photo from the phone, scaled down to at most 1280 px and sent as JPEG. */
async function shrink(file: File): Promise<{ name: string; type: string; dataBase64: string }> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1280 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const url = canvas.toDataURL('image/jpeg', 0.82);
  return {
    name: file.name.replace(/\.[^.]+$/, '') + '.jpg',
    type: 'image/jpeg',
    dataBase64: url.slice(url.indexOf(',') + 1),
  };
}

/** 转人工 from the online consultation: the questions asked, and the conversation attached to the request. */
interface Handover {
  content: string;
  conversation: ChatTurn[];
}

function Form({ onFiled, handover }: { onFiled: (f: Filed) => void; handover: Handover | null }) {
  const [meta, setMeta] = useState<Meta | null>(null);
  const [metaError, setMetaError] = useState<string | null>(null);
  const [orderType, setOrderType] = useState(handover ? 'consultation' : 'help');
  const [group, setGroup] = useState('');
  const [categoryCode, setCategoryCode] = useState('');
  const [content, setContent] = useState(handover?.content ?? '');
  const [districtCode, setDistrictCode] = useState('');
  const [streets, setStreets] = useState<{ code: string; name: string }[]>([]);
  const [streetCode, setStreetCode] = useState('');
  const [address, setAddress] = useState('');
  const [point, setPoint] = useState<{ lat: number; lng: number } | null>(null);
  const [showMap, setShowMap] = useState(false);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [confidential, setConfidential] = useState(false);
  const [consent, setConsent] = useState(false);
  const [callback, setCallback] = useState(true);
  const [photo, setPhoto] = useState<{ name: string; type: string; dataBase64: string } | null>(null);
  const [challenge, setChallenge] = useState<{ id: string; question: string } | null>(null);
  const [answer, setAnswer] = useState('');
  const [danger, setDanger] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadChallenge = useCallback(() => {
    setAnswer('');
    call<{ id: string; question: string }>('GET', '/api/public/challenge').then(setChallenge, (e: Error) =>
      setError(e.message),
    );
  }, []);
  useEffect(() => {
    call<Meta>('GET', '/api/public/meta').then(setMeta, (e: Error) => setMetaError(e.message));
    loadChallenge();
  }, [loadChallenge]);
  useEffect(() => {
    setStreetCode('');
    if (!districtCode) return setStreets([]);
    call<{ code: string; name: string }[]>('GET', `/api/public/districts/${districtCode}/streets`).then(
      setStreets,
      () => setStreets([]),
    );
  }, [districtCode]);

  // A danger is answered while the citizen is still typing, not after the form is sent.
  const seq = useRef(0);
  useEffect(() => {
    const text = content.trim();
    if (text.length < 4) return setDanger([]);
    const my = ++seq.current;
    const ac = new AbortController();
    const timer = setTimeout(() => {
      call<{ emergency: boolean; callNow: string[] }>('POST', '/api/public/danger-check', { text }, ac.signal)
        .then((r) => my === seq.current && setDanger(r.emergency ? r.callNow : []))
        .catch(() => undefined);
    }, 350);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [content]);

  const groups = meta?.categories.filter((c) => !c.parentCode) ?? [];
  const children = meta?.categories.filter((c) => c.parentCode === group) ?? [];

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (content.trim().length < 5) return setError('请用至少5个字描述您的诉求');
    if (!address.trim() && !districtCode && !point) return setError('请填写地址，或选择区县、街道，或在地图上选点');
    if (!/^1[3-9]\d{9}$/.test(phone)) return setError('请填写11位手机号，用于接收受理短信和回访');
    if (!challenge || !answer.trim()) return setError('请回答验证题');
    setBusy(true);
    try {
      const filed = await call<Filed>('POST', '/api/public/requests', {
        content: content.trim(),
        orderType,
        ...(categoryCode ? { categoryCode } : {}),
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(districtCode ? { districtCode } : {}),
        ...(streetCode ? { streetCode } : {}),
        ...(point ? { lat: point.lat, lng: point.lng } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
        phone,
        confidential,
        disclosureConsent: consent,
        callbackConsent: callback,
        ...(photo ? { photo } : {}),
        ...(handover?.conversation.length ? { conversation: handover.conversation } : {}),
        challengeId: challenge.id,
        challengeAnswer: answer.trim(),
      });
      onFiled(filed);
    } catch (err) {
      setError((err as Error).message);
      if (err instanceof PublicError && (err.code === 'PUBLIC_CHALLENGE_FAILED' || err.status >= 400)) loadChallenge();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      {metaError && <p className="error">{metaError}</p>}
      {handover && (
        <p className="notice" data-testid="handover-note">
          已附上在线咨询记录（{handover.conversation.length}条），工作人员答复时可以看到。
        </p>
      )}
      <section className="card">
        <div className="label">诉求类型</div>
        <div className="chips" role="radiogroup" aria-label="诉求类型">
          {(meta?.orderTypes ?? Object.keys(TYPE_NAMES)).map((t) => (
            <button
              type="button"
              key={t}
              role="radio"
              aria-checked={orderType === t}
              className={orderType === t ? 'chip on' : 'chip'}
              onClick={() => setOrderType(t)}
            >
              {TYPE_NAMES[t] ?? t}
            </button>
          ))}
        </div>
        <label className="label" htmlFor="group">
          诉求类别
        </label>
        <div className="row">
          <select
            id="group"
            aria-label="诉求类别"
            value={group}
            onChange={(e) => (setGroup(e.target.value), setCategoryCode(''))}
          >
            <option value="">不确定（由热线中心判断）</option>
            {groups.map((g) => (
              <option key={g.code} value={g.code}>
                {g.name}
              </option>
            ))}
          </select>
          {group && (
            <select aria-label="具体事项" value={categoryCode} onChange={(e) => setCategoryCode(e.target.value)}>
              <option value="">请选择具体事项</option>
              {children.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </div>
        <label className="label" htmlFor="content">
          诉求内容
        </label>
        <textarea
          id="content"
          rows={5}
          maxLength={2000}
          placeholder="请描述发生了什么、在哪里、希望如何解决"
          value={content}
          onChange={(e) => setContent(e.target.value)}
        />
        {danger.length > 0 && <CallNow lines={danger} />}
        <div className="label">现场照片（可选）</div>
        <label className="file">
          {photo ? '更换照片' : '选择照片'}
          <input
            type="file"
            accept="image/*"
            aria-label="现场照片"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return setPhoto(null);
              try {
                setPhoto(await shrink(f));
              } catch {
                setError('照片无法读取，请换一张');
              }
            }}
          />
        </label>
        {photo && <p className="hint">已选择照片：{photo.name}</p>}
      </section>

      <section className="card">
        <div className="label">地点</div>
        <div className="row">
          <select aria-label="区县" value={districtCode} onChange={(e) => setDistrictCode(e.target.value)}>
            <option value="">选择区县</option>
            {meta?.districts.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
          <select
            aria-label="街道（镇）"
            value={streetCode}
            disabled={!streets.length}
            onChange={(e) => setStreetCode(e.target.value)}
          >
            <option value="">选择街道（镇）</option>
            {streets.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <input
          aria-label="详细地址"
          placeholder="详细地址，如某路某号、小区名称"
          maxLength={200}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
        <div className="row">
          <button type="button" className="link" onClick={() => setShowMap((v) => !v)}>
            {showMap ? '收起地图' : '在地图上选点'}
          </button>
          {'geolocation' in navigator && (
            <button
              type="button"
              className="link"
              onClick={() =>
                navigator.geolocation.getCurrentPosition(
                  (p) =>
                    setPoint({
                      lat: Math.round(p.coords.latitude * 1e5) / 1e5,
                      lng: Math.round(p.coords.longitude * 1e5) / 1e5,
                    }),
                  () => setError('无法获取当前位置，请手动选择'),
                )
              }
            >
              使用当前位置
            </button>
          )}
        </div>
        {showMap && <MapPicker districtCode={districtCode || undefined} point={point} onPick={setPoint} />}
        {point && (
          <p className="hint">
            已选位置：东经 {point.lng}，北纬 {point.lat}{' '}
            <button type="button" className="link" onClick={() => setPoint(null)}>
              清除
            </button>
          </p>
        )}
      </section>

      <section className="card">
        <div className="label">联系方式</div>
        <input
          aria-label="姓名（可选）"
          placeholder="姓名（可选）"
          maxLength={50}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <input
          aria-label="手机号"
          placeholder="手机号（接收受理短信和回访）"
          inputMode="numeric"
          maxLength={11}
          value={phone}
          onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
        />
        <label className="check">
          <input type="checkbox" checked={confidential} onChange={(e) => setConfidential(e.target.checked)} />{' '}
          要求保密（承办单位看不到您的姓名和电话）
        </label>
        <label className="check">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />{' '}
          同意办结后隐去个人信息公开办理情况
        </label>
        {danger.length > 0 && (
          <label className="check">
            <input type="checkbox" checked={callback} onChange={(e) => setCallback(e.target.checked)} />{' '}
            紧急情况下同意将电话提供给110回拨
          </label>
        )}
      </section>

      <section className="card">
        <label className="label" htmlFor="answer">
          验证题：{challenge?.question ?? '加载中…'}
        </label>
        <div className="row">
          <input
            id="answer"
            aria-label="验证题答案"
            inputMode="numeric"
            maxLength={3}
            placeholder="请输入数字"
            value={answer}
            onChange={(e) => setAnswer(e.target.value.replace(/\D/g, ''))}
          />
          <button type="button" className="link" onClick={loadChallenge}>
            换一题
          </button>
        </div>
      </section>

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? '正在提交…' : '提交诉求'}
      </button>
    </form>
  );
}

function Receipt({ filed }: { filed: Filed }) {
  return (
    <section className="card receipt">
      {filed.emergency && <CallNow lines={filed.callNow} />}
      {filed.emergency && filed.escalated && <p className="notice">您的诉求已同步转110处置。</p>}
      <h2>提交成功</h2>
      <dl>
        <dt>工单编号</dt>
        <dd data-testid="request-no">{filed.requestNo}</dd>
        <dt>查询码</dt>
        <dd data-testid="query-code">{filed.queryCode}</dd>
      </dl>
      <p className="hint">请记下工单编号和查询码，凭两者查询办理进度。</p>
      <button
        type="button"
        className="primary"
        onClick={() => go(`/m/status?no=${filed.requestNo}&code=${filed.queryCode}`)}
      >
        查询办理进度
      </button>
    </section>
  );
}

function StatusPage() {
  const params = new URLSearchParams(location.search);
  const [no, setNo] = useState(params.get('no') ?? '');
  const [code, setCode] = useState(params.get('code') ?? '');
  const [status, setStatus] = useState<PublicStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const look = useCallback(async (n: string, c: string) => {
    setError(null);
    try {
      setStatus(
        await call<PublicStatus>(
          'GET',
          `/api/public/requests/${encodeURIComponent(n.trim())}?code=${encodeURIComponent(c.trim())}`,
        ),
      );
    } catch (e) {
      setStatus(null);
      setError(
        e instanceof PublicError && e.status === 400
          ? '请填写正确的工单编号（GD开头）和6位查询码'
          : (e as Error).message,
      );
    }
  }, []);
  useEffect(() => {
    if (params.get('no') && params.get('code')) void look(params.get('no')!, params.get('code')!);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, for a link from the receipt
  }, []);
  return (
    <>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void look(no, code);
        }}
      >
        <input
          aria-label="工单编号"
          placeholder="工单编号（GD开头）"
          value={no}
          onChange={(e) => setNo(e.target.value.toUpperCase())}
        />
        <input
          aria-label="查询码"
          placeholder="6位查询码"
          inputMode="numeric"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        />
        <button type="submit" className="primary">
          查询
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {status && (
        <section className="card status">
          <h2 data-testid="status-text">{status.statusText}</h2>
          <p className="hint">
            {status.requestNo} · {status.category} · {status.place} · 受理于 {fmt(status.receivedAt)}
          </p>
          <p>{status.content}</p>
          {status.reply && (
            <div className="reply">
              <div className="label">办理答复{status.repliedAt ? `（${fmt(status.repliedAt)}）` : ''}</div>
              <p data-testid="reply">{status.reply}</p>
            </div>
          )}
          <ol className="timeline">
            {status.history.map((h, i) => (
              <li key={i}>
                <span>{fmt(h.at)}</span> {h.text}
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}

export function CitizenApp() {
  const path = usePath();
  const [filed, setFiled] = useState<Filed | null>(null);
  const [handover, setHandover] = useState<Handover | null>(null);
  const onStatus = path.startsWith('/m/status');
  const onAsk = path.startsWith('/m/ask');
  const title = onStatus ? '查询办理进度' : onAsk ? '在线咨询' : '12345网上诉求';
  useEffect(() => {
    document.title = onStatus || onAsk ? `${title} - 12345` : title;
  }, [onStatus, onAsk, title]);
  return (
    <div className="app">
      <header>
        <h1>{title}</h1>
        <nav>
          <a
            href="/m/"
            onClick={(e) => (e.preventDefault(), setFiled(null), setHandover(null), go('/m/'))}
            className={onStatus || onAsk ? '' : 'on'}
          >
            我要反映
          </a>
          <a href="/m/ask" onClick={(e) => (e.preventDefault(), go('/m/ask'))} className={onAsk ? 'on' : ''}>
            在线咨询
          </a>
          <a href="/m/status" onClick={(e) => (e.preventDefault(), go('/m/status'))} className={onStatus ? 'on' : ''}>
            查询进度
          </a>
          <a href="/disclosure">办理公开</a>
        </nav>
      </header>
      <main>
        {!onStatus && !onAsk && (
          <p className="banner">
            遇到危及人身财产安全的紧急情况，请直接拨打 <a href="tel:110">110</a>、<a href="tel:119">119</a>、
            <a href="tel:120">120</a>。
          </p>
        )}
        {onStatus ? (
          <StatusPage />
        ) : onAsk ? (
          <ChatPage
            onHandover={(h) => {
              setFiled(null);
              setHandover(h);
              go('/m/');
            }}
          />
        ) : filed ? (
          <Receipt filed={filed} />
        ) : (
          <Form key={handover ? 'handover' : 'new'} onFiled={setFiled} handover={handover} />
        )}
      </main>
    </div>
  );
}
