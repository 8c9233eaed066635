/** The words of the texts, the reading of an answer, and the HTTP gateway's reading of the gateway's answers. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../src/bridge/signing.ts';
import { HttpSmsGateway } from '../../src/sms/sms-gateway.ts';
import { mobileNumber } from '../../src/sms/sms.service.ts';
import {
  REPLY_QUOTE_MAX,
  parseSurveyReply,
  receiptText,
  replyText,
  satisfactionOfRating,
  surveyText,
} from '../../src/sms/sms-texts.ts';

describe('survey answers', () => {
  it.each([
    ['5', 5],
    [' 1 ', 1],
    ['３', 3],
    ['4。', 4],
    ['满意', 4],
    ['非常满意！', 5],
    ['基本满意', 3],
    ['不满意', 2],
    ['非常不满意', 1],
  ])('“%s” is read as %i', (text, rating) => {
    expect(parseSurveyReply(text)).toBe(rating);
  });

  it.each(['0', '6', '45', '5分', '还行', '', 'TD', '满意不满意'])('“%s” is no answer', (text) => {
    expect(parseSurveyReply(text)).toBeNull();
  });

  it('5 and 4 are 满意, 3 基本满意, 2 and 1 不满意', () => {
    expect([5, 4, 3, 2, 1].map(satisfactionOfRating)).toEqual([
      'satisfied',
      'satisfied',
      'basically_satisfied',
      'unsatisfied',
      'unsatisfied',
    ]);
  });
});

describe('numbers texts go to', () => {
  it.each([
    ['13900001111', '13900001111'],
    ['+86 139-0000-1111', '13900001111'],
    ['0086 13900001111', '13900001111'],
    ['023-63851234', null],
    ['12345', null],
    ['1390000111', null],
  ])('%s → %s', (given, mobile) => {
    expect(mobileNumber(given)).toBe(mobile);
  });
});

describe('texts', () => {
  it('the receipt names the number and the query code; the survey how to answer', () => {
    expect(receiptText('GD20261204000001', '012345')).toMatch(
      /^【重庆12345】.*工单编号GD20261204000001，查询码012345。/,
    );
    expect(surveyText('GD20261204000001')).toContain('回复数字：5非常满意');
  });

  it('a long reply is cut and points to the status page', () => {
    const t = replyText('GD1', '答'.repeat(REPLY_QUOTE_MAX + 50));
    expect(t).toContain('答'.repeat(REPLY_QUOTE_MAX));
    expect(t).not.toContain('答'.repeat(REPLY_QUOTE_MAX + 1));
    expect(t.endsWith('（全文请在查询页面查看）')).toBe(true);
  });
});

describe('HttpSmsGateway', () => {
  let server: Server;
  let port: number;
  let answer: { status: number; body: string } = { status: 200, body: '{}' };
  let seen: { ok: boolean; body: Record<string, unknown> } | null = null;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const v = verify(req.headers, raw, new Map([['k1', { secret: 'gateway-secret-000000001', alg: 'hmac-sm3' }]]));
        seen = { ok: v.ok && req.url === '/sms/v1/messages', body: JSON.parse(raw) as Record<string, unknown> };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const gw = () =>
    new HttpSmsGateway({
      url: `http://127.0.0.1:${port}`,
      keyId: 'k1',
      key: 'gateway-secret-000000001',
      alg: 'hmac-sm3',
      timeoutMs: 2000,
    });
  const msg = {
    id: 'b4b0c1e2-0000-4000-8000-000000000001',
    to: '13900001111',
    text: '测试',
    purpose: 'survey' as const,
    replyExpected: true,
  };

  it('posts the message signed (国密 SM3 here) and reads 200 with a gatewayRef as accepted', async () => {
    answer = { status: 200, body: JSON.stringify({ id: msg.id, gatewayRef: 'G-1', status: 'accepted' }) };
    expect(await gw().send(msg)).toEqual({ kind: 'accepted', gatewayRef: 'G-1' });
    expect(seen?.ok).toBe(true);
    expect(seen?.body).toMatchObject({ id: msg.id, to: msg.to, text: '测试', purpose: 'survey', replyExpected: true });
  });

  it.each([
    [400, '{"error":"invalid_number"}', { kind: 'refused', status: 400, error: 'invalid_number' }],
    [401, '{"error":"signature_invalid"}', { kind: 'refused', status: 401, error: 'signature_invalid' }],
    [429, '{"error":"busy"}', { kind: 'retry', status: 429, error: 'busy' }],
    [503, 'down', { kind: 'retry', status: 503, error: '' }],
    [200, '{"status":"accepted"}', { kind: 'retry', status: 200, error: 'accepted without gatewayRef' }],
  ])('answer %i %s is %j', async (status, body, outcome) => {
    answer = { status, body };
    expect(await gw().send(msg)).toEqual(outcome);
  });

  it('no answer is a retry with status 0', async () => {
    const down = new HttpSmsGateway({
      url: 'http://127.0.0.1:9',
      keyId: 'k1',
      key: 'x'.repeat(16),
      alg: 'hmac-sha256',
      timeoutMs: 1000,
    });
    expect(await down.send(msg)).toMatchObject({ kind: 'retry', status: 0 });
  });
});
