/** The switch's settings from the environment (README, "Configuration"): SIP_TRANSFER_RING_SECONDS among them. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('the switch is configured from the environment', () => {
  it('telephony is off without SIP_PORT', () => {
    expect(loadConfig({}).sip).toBeNull();
  });

  it('a transfer rings 30 seconds unless SIP_TRANSFER_RING_SECONDS says otherwise', () => {
    expect(loadConfig({ SIP_PORT: '5070' }).sip).toMatchObject({ port: 5070, transferRingSeconds: 30 });
    expect(loadConfig({ SIP_PORT: '5070', SIP_TRANSFER_RING_SECONDS: '45' }).sip?.transferRingSeconds).toBe(45);
  });

  it.each(['2', '301', '30.5', 'thirty'])('SIP_TRANSFER_RING_SECONDS=%s is refused with its name and range', (v) => {
    expect(() => loadConfig({ SIP_PORT: '5070', SIP_TRANSFER_RING_SECONDS: v })).toThrow(ConfigError);
    expect(() => loadConfig({ SIP_PORT: '5070', SIP_TRANSFER_RING_SECONDS: v })).toThrow(
      /SIP_TRANSFER_RING_SECONDS 须为 5–300 之间的整数/,
    );
  });
});
