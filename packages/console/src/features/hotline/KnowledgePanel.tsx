/**
 * The knowledge base beside the triage panel: as the caller's words are typed, the best articles in
 * effect in the caller's district (GET /api/knowledge/suggest, debounced; a newer text cancels the
 * older request). One key (Alt+6) takes the top article's suggested wording into 直接答复; each
 * article can also be taken by its own button. The page records which article and version it used.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Card, List, Spin, Tag, Typography } from 'antd';
import { get } from '../../api/client.ts';
import { useDebounced } from '../../shared/useDebounced.ts';
import { useShortcuts } from './intake-hooks.ts';

export interface KnowledgeSuggestion {
  articleId: string;
  version: number;
  title: string;
  snippet: string;
  score: number;
  answer: string;
  topic: string;
  department: string;
  source: { name: string; docNo: string } | null;
}

interface SuggestAnswer {
  answerable: boolean;
  items: KnowledgeSuggestion[];
}

/** The server's snippet is escaped text with <mark> around the hits: shown as text, never as HTML. */
function snippetNodes(snippet: string): ReactNode[] {
  const unescape = (s: string) =>
    s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
  return snippet
    .split(/(<mark>[^<]*<\/mark>)/)
    .map((part, i) =>
      part.startsWith('<mark>') ? <mark key={i}>{unescape(part.slice(6, -7))}</mark> : unescape(part),
    );
}

/** Suggestions for the text (at least a few characters of it), in the caller's district when known. */
export function useKnowledgeSuggestions(content: string, districtCode: string | undefined) {
  const [answer, setAnswer] = useState<SuggestAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = useDebounced(JSON.stringify({ q: content.trim(), district: districtCode ?? null }), 400);
  useEffect(() => {
    const { q, district } = JSON.parse(key) as { q: string; district: string | null };
    if (q.length < 4) {
      setAnswer(null);
      setError(null);
      return undefined;
    }
    const ac = new AbortController();
    setBusy(true);
    get<SuggestAnswer>('/api/knowledge/suggest', { q, ...(district ? { district } : {}) }, ac.signal)
      .then((a) => {
        setAnswer(a);
        setError(null);
      })
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      })
      .finally(() => {
        if (!ac.signal.aborted) setBusy(false);
      });
    return () => ac.abort();
  }, [key]);
  return { answer, busy, error };
}

export function KnowledgePanel({
  content,
  districtCode,
  onUse,
}: {
  content: string;
  districtCode: string | undefined;
  /** The call-taker takes an article's wording into 直接答复. */
  onUse: (article: KnowledgeSuggestion) => void;
}) {
  const { answer, busy, error } = useKnowledgeSuggestions(content, districtCode);
  // The first three: a call-taker reads beside a call, not a result page.
  const items = (answer?.items ?? []).slice(0, 3);
  const top = items[0];
  const takeTop = useCallback(() => {
    if (top) onUse(top);
  }, [top, onUse]);
  useShortcuts({ Digit6: takeTop });

  return (
    <Card
      title={
        <span>
          政策知识 {busy && <Spin size="small" />}
          {answer?.answerable && (
            <Tag color="green" style={{ marginLeft: 8 }}>
              可直接答复
            </Tag>
          )}
        </span>
      }
      size="small"
      style={{ marginBottom: 12 }}
      extra={
        <Button size="small" type="primary" ghost disabled={!top} onClick={takeTop} data-testid="knowledge-use-top">
          引用首条口径<span className="kbd">Alt+6</span>
        </Button>
      }
    >
      {error ? (
        <Alert type="warning" showIcon title={`知识推荐暂不可用：${error}`} />
      ) : !answer ? (
        <Typography.Text type="secondary">录入诉求内容后自动推荐相关政策知识</Typography.Text>
      ) : items.length === 0 ? (
        <Typography.Text type="secondary" data-testid="knowledge-none">
          知识库中没有在效、适用本区县的相关知识
        </Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={items}
          data-testid="knowledge-panel"
          renderItem={(a, i) => (
            <List.Item
              key={a.articleId}
              data-testid="knowledge-item"
              actions={[
                <Typography.Link key="use" onClick={() => onUse(a)} data-testid={`knowledge-use-${a.articleId}`}>
                  引用
                </Typography.Link>,
              ]}
            >
              <List.Item.Meta
                title={
                  <span>
                    {i === 0 && <Tag color="blue">首条</Tag>}
                    {a.title}
                    <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginLeft: 6 }}>
                      {a.topic} · 第 {a.version} 版
                    </Typography.Text>
                  </span>
                }
                description={
                  <span className="knowledge-snippet">
                    {snippetNodes(a.snippet)}
                    {a.source && (
                      <Typography.Text type="secondary">
                        （依据：{a.source.name} {a.source.docNo}）
                      </Typography.Text>
                    )}
                  </span>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
