/**
 * 在线咨询: the public page's self-service answering. Each answer is an article's own words with its
 * department and source; when nothing answers, it says so and offers a person (转人工: the request form,
 * with the conversation attached); a danger gets the emergency numbers, not an answer.
 */
import { useEffect, useRef, useState } from 'react';
import { call, type ChatReply, type ChatTurn } from './api.ts';

interface Shown {
  from: 'citizen' | 'assistant';
  reply?: ChatReply;
  text: string;
}

const LINE_NAMES: Record<string, string> = { '110': '报警', '119': '火警', '120': '急救' };

export function ChatPage({ onHandover }: { onHandover: (h: { content: string; conversation: ChatTurn[] }) => void }) {
  const [shown, setShown] = useState<Shown[]>([]);
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [shown]);

  const send = async (e: React.FormEvent) => {
    e.preventDefault();
    const q = question.trim();
    if (q.length < 2) return setError('请输入您要咨询的问题');
    setError(null);
    setBusy(true);
    setShown((s) => [...s, { from: 'citizen', text: q }]);
    setQuestion('');
    try {
      const reply = await call<ChatReply>('POST', '/api/public/chat', { question: q });
      const text = reply.kind === 'answer' ? reply.answer.text : reply.message;
      setShown((s) => [...s, { from: 'assistant', reply, text }]);
    } catch (err) {
      setShown((s) => s.slice(0, -1));
      setQuestion(q);
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const handover = () => {
    const turns: ChatTurn[] = shown.slice(-20).map((m) => ({
      from: m.from,
      text: m.text.slice(0, 1000),
      ...(m.reply?.kind === 'answer' ? { articleTitle: m.reply.answer.title } : {}),
    }));
    const asked = shown.filter((m) => m.from === 'citizen').map((m) => m.text);
    onHandover({ content: asked.join('；').slice(0, 2000), conversation: turns });
  };

  return (
    <div className="chat">
      <section className="card">
        <p className="hint">
          智能应答只引用已发布的政策知识原文并注明出处；没有把握时会如实告诉您，您可以转人工提交诉求。
        </p>
        <div className="messages" data-testid="chat-messages" aria-live="polite">
          {shown.map((m, i) =>
            m.from === 'citizen' ? (
              <div key={i} className="msg mine">
                {m.text}
              </div>
            ) : (
              <Answer key={i} reply={m.reply!} />
            ),
          )}
          {busy && <div className="msg theirs">正在查找…</div>}
          <div ref={end} />
        </div>
        {error && <p className="error">{error}</p>}
        <form className="ask" onSubmit={send}>
          <input
            aria-label="您的问题"
            placeholder="例如：社保卡丢了怎么补办"
            value={question}
            maxLength={200}
            onChange={(e) => setQuestion(e.target.value)}
          />
          <button type="submit" className="primary" disabled={busy}>
            发送
          </button>
        </form>
        {shown.some((m) => m.from === 'citizen') && (
          <button type="button" className="link" onClick={handover} data-testid="chat-handover">
            转人工：提交诉求，由工作人员答复（附上本次咨询记录）
          </button>
        )}
      </section>
    </div>
  );
}

function Answer({ reply }: { reply: ChatReply }) {
  if (reply.kind === 'emergency')
    return (
      <div className="msg theirs danger" role="alert">
        <strong>{reply.message}</strong>
        <div className="lines">
          {reply.callNow.map((l) => (
            <a key={l} className="call" href={`tel:${l}`}>
              {l} {LINE_NAMES[l] ?? ''}
            </a>
          ))}
        </div>
      </div>
    );
  if (reply.kind === 'unknown')
    return (
      <div className="msg theirs" data-testid="chat-unknown">
        {reply.message}
      </div>
    );
  const a = reply.answer;
  return (
    <div className="msg theirs" data-testid="chat-answer">
      <div className="title">{a.title}</div>
      <p>{a.text}</p>
      <div className="source">
        答复依据：{a.department}
        {a.source ? `《${a.source.name}》（${a.source.docNo}）` : ''}
        {a.expiresAt ? `，有效期至${a.expiresAt}` : ''}
      </div>
      {a.demo && <div className="source">（演示内容，标注“示例”的数字以本地公布为准）</div>}
    </div>
  );
}
