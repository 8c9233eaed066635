/** The `liandong` command line. */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';

const HELP = `用法：npx liandong <命令> [选项]

命令：
  serve [--demo]          启动服务（--demo：首次启动时生成演示数据）
  migrate                 执行数据库迁移并载入基础数据
  seed-demo [--orders N] [--incidents N] [--days N] [--seed N]
                          生成演示数据（默认 2400 张工单、1200 条警情、近 90 天）
  triage [--model FILE] [--desk hotline|dispatch]
                          分流研判：从标准输入逐行读取 {"id","text","title"?,"channel"?}，逐行输出结果
  triage train [--corpus FILE [--with-shipped]] [--out FILE] [--with-overrides]
                          训练模型：默认用随附语料；--corpus 用本市标注记录（{"text","route"}，route 可为列表），
                          --with-shipped 与随附语料合并；报告留出集准确率与校准误差（ECE）
  triage eval --data FILE [--model FILE] [--no-model] [--answers FILE] [--misses]
                          评估：去向准确率、紧急召回与误报、分组指标（数据含 group 时）、混淆矩阵
  dispatch train --data FILE --out MODEL.json [--folds 5]
                          智能派单：用本市历史工单（JSON Lines 或带表头 CSV，UTF-8/GB18030；text、title、label、district）
                          训练承办单位模型，报告 k 折交叉验证的 top-1/top-3 准确率与 macro-F1，并列出基线（TF-IDF + 线性 SVM）
  dispatch train --publish [--data FILE] [--url URL]
                          训练并发布到数据库：留出五分之一比较，胜过当前模型才启用（不带 --data 则用已归档工单）
  dispatch suggest [--model MODEL.json]
                          派单建议：从标准输入逐行读取 {"id","text","title"?}，逐行输出前三个承办单位及分数
  knowledge search [--url URL]
                          知识库检索：从标准输入逐行读取 {"id","q","district"}，逐行输出最匹配的 5 篇知识
  knowledge seed-demo [--url URL]
                          载入演示知识库（示例数据）
  connector-receiver --id ID --desk-url URL --desk-id ID --key-id K --key S --desk-key-id K --desk-key S [--auto] [--port N] [--parent-pid PID]
                          联动单位（119、120、水电气等）参考接收端：验签、收报，--auto 时自动签收并反馈；
                          --parent-pid 所指的父进程退出后随之退出
  sms-gateway --desk-url URL --key-id K --key S --desk-key-id K --desk-key S [--alg A] [--port N] [--parent-pid PID]
                          参考短信网关（仅供测试与演示）：验签收下短信并保存在内存中（GET /messages 查看），
                          POST /control/reply 代市民回复回访短信并签名回传平台
  business-system --system social_security|medical_insurance|housing_fund --desk-key-id K --desk-key S [--alg A] [--port N] [--parent-pid PID]
                          参考业务系统（社保、医保、公积金，仅供测试与演示）：验签后按身份证号和姓名答复几位虚构人员的
                          余额、缴费记录和报销进度（POST /lookup/v1/query）
  report <monthly> --period 2026-10 [--format json|xlsx|docx] [--out FILE] [--url URL]
                          统计报表：月度通报；周期写作 2026-10、2026-Q4、2026、2026-W48 或 2026-10-01..2026-10-15（北京时间）
  audit verify [--url URL]
                          审计链校验：逐条核对审计记录与 SM3 链接，发现修改、删除或插入时列出位置并以非零状态退出
  audit export [--from 时间] [--to 时间] --out FILE [--url URL]
                          导出审计链（JSON Lines：链接哈希与所含记录），供审计方独立复核
  keys status [--url URL]
                          个人信息密钥：密钥来源、当前密钥，以及各密钥加密的来电人数
  keys rotate [--new-key-id ID] [--batch N] [--url URL]
                          轮换个人信息密钥：（密钥文件）加入新密钥并设为当前，再分批用它重新加密来电人信息，服务不停
  retention purge [--dry-run] [--url URL]
                          个人信息保存期限：立即清除已过保存期限的来电人姓名号码、通话号码、短信号码与内容、联动回电信息
                          （各项期限见 RETAIN_* 配置；--dry-run 只统计不清除），每个数据库输出一行 JSON
  help                    显示本帮助

环境变量见 README 的“配置”一节（PORT、HOST、DATABASE_URL、LIANDONG_DATA_DIR …）。`;

const say = (m: string) => process.stdout.write(`[liandong] ${m}\n`);

// `… | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

/**
 * A reference process (receiver, gateway) stops at once on a signal or when its parent is gone: it closes
 * its server and exits after 2 s at the latest even if a connection or a pending send would hold it (seen:
 * receivers outliving a killed `npm start`). Started by `serve --demo` with --parent-pid, it does not
 * outlive that process even when it is killed with SIGKILL; the spawner names itself, since it may already
 * be gone by the time this process has started (seen: a serve killed while starting its receivers left two
 * of them adopted by init, and running).
 */
function stopWithParent(server: { close(): Promise<unknown> }, parentPid: string | undefined): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 2000).unref();
    void server.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (parentPid === undefined) return;
  const parent = positiveInt('parent-pid', parentPid, 1, 2 ** 31 - 1);
  const check = () => {
    if (process.ppid !== parent) stop();
  };
  check();
  setInterval(check, 1000).unref();
}

function positiveInt(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new ConfigError(`--${name} 须为 0–${max} 之间的整数，当前为 “${raw}”`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const [command = 'help', ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: { demo: { type: 'boolean', default: false } },
        strict: true,
      });
      const { serve } = await import('./main.ts');
      await serve({ demo: values.demo ?? false });
      return;
    }
    case 'migrate': {
      parseArgs({ args: rest, options: {}, strict: true });
      const { openDatabase } = await import('./db/database.ts');
      const database = await openDatabase(loadConfig(), say);
      say('数据库已是最新结构');
      await database.close();
      return;
    }
    case 'seed-demo': {
      const { values } = parseArgs({
        args: rest,
        options: {
          orders: { type: 'string' },
          incidents: { type: 'string' },
          days: { type: 'string' },
          seed: { type: 'string' },
        },
        strict: true,
      });
      const orders = positiveInt('orders', values.orders, 2400, 5_000_000);
      const incidents = positiveInt('incidents', values.incidents, Math.round(orders / 2), 5_000_000);
      const days = positiveInt('days', values.days, 90, 3650) || 1;
      const seed = positiveInt('seed', values.seed, 20221220, 2 ** 31);
      const { openDatabase } = await import('./db/database.ts');
      const database = await openDatabase(loadConfig(), say);
      try {
        const { seedDemo } = await import('./demo/seed-demo.ts');
        const t = Date.now();
        const r = await seedDemo(database.db, { orders, incidents, days, seed }, say);
        say(`完成：${r.orders} 张工单、${r.incidents} 条警情，用时 ${((Date.now() - t) / 1000).toFixed(1)} 秒`);
      } finally {
        await database.close();
      }
      return;
    }
    case 'triage': {
      const { triageCommand } = await import('./triage/triage.cli.ts');
      await triageCommand(rest, { databaseUrl: loadConfig().databaseUrl });
      return;
    }
    case 'dispatch': {
      const { dispatchCommand } = await import('./hotline/smart-dispatch/dispatch.cli.ts');
      await dispatchCommand(rest);
      return;
    }
    case 'knowledge': {
      const { knowledgeCommand } = await import('./knowledge/knowledge.cli.ts');
      await knowledgeCommand(rest);
      return;
    }
    case 'connector-receiver': {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: {
          port: { type: 'string', default: '0' },
          host: { type: 'string', default: '127.0.0.1' },
          id: { type: 'string' },
          'desk-url': { type: 'string' },
          'desk-id': { type: 'string' },
          'key-id': { type: 'string' },
          key: { type: 'string' },
          'desk-key-id': { type: 'string' },
          'desk-key': { type: 'string' },
          alg: { type: 'string', default: 'hmac-sha256' },
          auto: { type: 'boolean', default: false },
          'feedback-after-ms': { type: 'string', default: '500' },
          log: { type: 'string' },
          'parent-pid': { type: 'string' },
        },
      });
      for (const k of ['id', 'desk-url', 'desk-id', 'key-id', 'key', 'desk-key-id', 'desk-key'] as const)
        if (!values[k]) throw new ConfigError(`connector-receiver 缺少 --${k}`);
      if (values.alg !== 'hmac-sha256' && values.alg !== 'hmac-sm3')
        throw new ConfigError('--alg 须为 hmac-sha256 或 hmac-sm3');
      const { startConnectorReceiver } = await import('./bridge/connector-receiver.ts');
      const r = await startConnectorReceiver({
        port: positiveInt('port', values.port, 0, 65535),
        host: values.host!,
        id: values.id!,
        deskUrl: values['desk-url']!.replace(/\/$/, ''),
        deskId: values['desk-id']!,
        keyId: values['key-id']!,
        key: values.key!,
        deskKeyId: values['desk-key-id']!,
        deskKey: values['desk-key']!,
        alg: values.alg,
        auto: values.auto!,
        feedbackAfterMs: positiveInt('feedback-after-ms', values['feedback-after-ms'], 500, 3_600_000),
        logFile: values.log ?? null,
      });
      say(`联动单位参考接收端 ${values.id} 已启动：http://${values.host}:${r.port}`);
      stopWithParent(r, values['parent-pid']);
      return;
    }
    case 'sms-gateway': {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: {
          port: { type: 'string', default: '0' },
          host: { type: 'string', default: '127.0.0.1' },
          'desk-url': { type: 'string' },
          'key-id': { type: 'string' },
          key: { type: 'string' },
          'desk-key-id': { type: 'string' },
          'desk-key': { type: 'string' },
          alg: { type: 'string', default: 'hmac-sha256' },
          'parent-pid': { type: 'string' },
        },
      });
      for (const k of ['desk-url', 'key-id', 'key', 'desk-key-id', 'desk-key'] as const)
        if (!values[k]) throw new ConfigError(`sms-gateway 缺少 --${k}`);
      if (values.alg !== 'hmac-sha256' && values.alg !== 'hmac-sm3')
        throw new ConfigError('--alg 须为 hmac-sha256 或 hmac-sm3');
      const { startSmsGateway } = await import('./sms/reference-gateway.ts');
      const g = await startSmsGateway({
        port: positiveInt('port', values.port, 0, 65535),
        host: values.host!,
        deskUrl: values['desk-url']!.replace(/\/$/, ''),
        keyId: values['key-id']!,
        key: values.key!,
        deskKeyId: values['desk-key-id']!,
        deskKey: values['desk-key']!,
        alg: values.alg,
      });
      say(`参考短信网关已启动：http://${values.host}:${g.port}`);
      stopWithParent(g, values['parent-pid']);
      return;
    }
    case 'business-system': {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: {
          system: { type: 'string' },
          port: { type: 'string', default: '0' },
          host: { type: 'string', default: '127.0.0.1' },
          'desk-key-id': { type: 'string' },
          'desk-key': { type: 'string' },
          alg: { type: 'string', default: 'hmac-sha256' },
          'delay-ms': { type: 'string', default: '0' },
          'parent-pid': { type: 'string' },
        },
      });
      for (const k of ['system', 'desk-key-id', 'desk-key'] as const)
        if (!values[k]) throw new ConfigError(`business-system 缺少 --${k}`);
      const { BUSINESS_SYSTEMS } = await import('@liandong/domain');
      const system = values.system as (typeof BUSINESS_SYSTEMS)[number];
      if (!BUSINESS_SYSTEMS.includes(system))
        throw new ConfigError(`--system 须为 ${BUSINESS_SYSTEMS.join('、')} 之一`);
      if (values.alg !== 'hmac-sha256' && values.alg !== 'hmac-sm3')
        throw new ConfigError('--alg 须为 hmac-sha256 或 hmac-sm3');
      const { startReferenceSystem } = await import('./lookup/reference-system.ts');
      const s = await startReferenceSystem({
        system,
        port: positiveInt('port', values.port, 0, 65535),
        host: values.host!,
        deskKeyId: values['desk-key-id']!,
        deskKey: values['desk-key']!,
        alg: values.alg,
        delayMs: positiveInt('delay-ms', values['delay-ms'], 0, 60_000),
      });
      say(`参考业务系统已启动（${system}）：http://${values.host}:${s.port}`);
      stopWithParent(s, values['parent-pid']);
      return;
    }
    case 'report': {
      const { reportCommand } = await import('./reports/report.cli.ts');
      await reportCommand(rest, say);
      return;
    }
    case 'audit': {
      const { auditCommand } = await import('./audit/audit.cli.ts');
      await auditCommand(rest, say);
      return;
    }
    case 'keys': {
      const { keysCommand } = await import('./crypto/keys.cli.ts');
      await keysCommand(rest, say);
      return;
    }
    case 'retention': {
      const { retentionCommand } = await import('./crypto/retention.cli.ts');
      await retentionCommand(rest, (line) => process.stdout.write(`${line}\n`));
      return;
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${HELP}\n`);
      return;
    default:
      process.stderr.write(`未知命令：${command}\n\n${HELP}\n`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const e = err as Error & { code?: string };
  if (
    // (compared by name: the database modules are loaded only by the commands that need them)
    e.constructor?.name === 'EmbeddedPostgresError' ||
    err instanceof ConfigError ||
    e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
    e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
  ) {
    process.stderr.write(`错误 [${e.code}]：${e.message}\n`);
  } else {
    process.stderr.write(`错误：${e.stack ?? String(err)}\n`);
  }
  process.exit(1);
});
