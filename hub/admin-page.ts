import { fleetSection, type FleetView } from './fleet-page';
import type { SiteReport } from './report';

export type AdminLang = 'zh-CN' | 'en';

// Site hub admin page words; zh-CN is the default, as in the app.
const words = {
  'zh-CN': {
    title: '站点中心',
    login: '管理员口令',
    signIn: '登录',
    newCode: '生成配对码',
    codeHint: '在窗口的设置中输入中心地址和此配对码（10 分钟内有效，仅可使用一次）',
    windows: '窗口',
    name: '名称',
    version: '版本',
    lastSeen: '最后联系',
    revoke: '撤销',
    revoked: '已撤销',
    day: '当日报表',
    hour: '时段',
    window: '窗口',
    none: '暂无记录',
    entries: '入园',
    total: '扫码',
    byWindow: '按窗口',
    byOperator: '按操作员',
    byProduct: '按产品',
    operator: '工号',
    product: '产品',
    queue: '待同步',
    needsAttention: '需处理',
    conflicts: '冲突',
    conflictList: '冲突记录（离线接收，但已在别处先使用）',
    scannedAt: '扫码时间',
    code: '票码',
    order: '订单',
    why: '说明',
    showDay: '查看',
  },
  en: {
    title: 'Site hub',
    login: 'Admin password',
    signIn: 'Sign in',
    newCode: 'New pairing code',
    codeHint: 'Enter the hub address and this code in the window’s settings (valid 10 minutes, once)',
    windows: 'Windows',
    name: 'Name',
    version: 'Version',
    lastSeen: 'Last contact',
    revoke: 'Revoke',
    revoked: 'Revoked',
    day: 'Day report',
    hour: 'Hour',
    window: 'Window',
    none: 'No entries yet',
    entries: 'Entries',
    total: 'Scans',
    byWindow: 'By window',
    byOperator: 'By operator',
    byProduct: 'By product',
    operator: 'Staff no.',
    product: 'Product',
    queue: 'To sync',
    needsAttention: 'Needs attention',
    conflicts: 'Conflicts',
    conflictList: 'Conflicts (accepted offline, but used elsewhere first)',
    scannedAt: 'Scanned at',
    code: 'Code',
    order: 'Order',
    why: 'Note',
    showDay: 'Show',
  },
} as const;

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

function page(lang: AdminLang, body: string): string {
  const other = lang === 'en' ? 'zh-CN' : 'en';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${words[lang].title}</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem}.code{font-size:2rem;letter-spacing:.3rem}</style>
</head><body><h1>${words[lang].title}</h1><p><a href="?lang=${other}">${other === 'en' ? 'English' : '中文'}</a></p>${body}</body></html>`;
}

export function loginPage(lang: AdminLang, failed: boolean): string {
  const t = words[lang];
  return page(
    lang,
    `${failed ? '<p role="alert">✗</p>' : ''}<form method="post" action="/admin/login?lang=${lang}">
<label>${t.login} <input type="password" name="token" autocomplete="current-password"></label> <button>${t.signIn}</button></form>`,
  );
}

type Words = (typeof words)[AdminLang];

function table(testId: string, head: string[], rows: string[][]): string {
  const cells = (tag: string, values: string[]) => values.map((v) => `<${tag}>${v}</${tag}>`).join('');
  return `<table data-testid="${testId}"><tr>${cells('th', head)}</tr>${rows.map((r) => `<tr>${cells('td', r)}</tr>`).join('')}</table>`;
}

/** Entries per hour, a column per window: the site's day at a glance. */
function hourGrid(t: Words, report: SiteReport): string {
  const names = [...new Set(report.byHour.map((r) => r.window))].sort();
  const hours = [...new Set(report.byHour.map((r) => r.hour))].sort((a, b) => a - b);
  const cell = (hour: number, window: string) => {
    const found = report.byHour.find((r) => r.hour === hour && r.window === window);
    return found ? `<span data-window="${escape(window)}">${found.entries}</span> / ${found.total}` : '';
  };
  const rows = hours.map((hour) => {
    const label = `${String(hour).padStart(2, '0')}:00`;
    return `<tr data-testid="hour-${String(hour).padStart(2, '0')}"><td>${label}</td>${names.map((n) => `<td>${cell(hour, n)}</td>`).join('')}</tr>`;
  });
  return `<table data-testid="day-report"><tr><th>${t.hour}</th>${names.map((n) => `<th>${escape(n)}</th>`).join('')}</tr>${rows.join('')}</table>
<p>${t.entries} / ${t.total}</p>`;
}

export function adminPage(lang: AdminLang, report: SiteReport, fleet: FleetView, pairingCode?: string): string {
  const t = words[lang];
  const code = pairingCode ? `<p class="code" data-testid="pairing-code">${escape(pairingCode)}</p><p>${t.codeHint}</p>` : '';
  const windows = table(
    'windows',
    [t.name, t.version, t.lastSeen, t.queue, t.needsAttention, t.conflicts, ''],
    report.windows.map((w) => [
      escape(w.name),
      escape(w.version ?? ''),
      escape(w.lastSeen ?? ''),
      String(w.queued),
      String(w.needsAttention),
      String(w.conflicts),
      w.revoked
        ? t.revoked
        : `<form method="post" action="/admin/windows/${w.id}/revoke?lang=${lang}"><button>${t.revoke}</button></form>`,
    ]),
  );
  const tally = (r: { entries: number; total: number }) => [String(r.entries), String(r.total)];
  const day =
    report.byHour.length === 0
      ? `<p>${t.none}</p>`
      : `${hourGrid(t, report)}
<h3>${t.byWindow}</h3>${table(
          'by-window',
          [t.window, t.entries, t.total],
          report.byWindow.map((r) => [escape(r.window), ...tally(r)]),
        )}
<h3>${t.byOperator}</h3>${table(
          'by-operator',
          [t.operator, t.window, t.entries, t.total],
          report.byOperator.map((r) => [escape(r.operator), escape(r.window), ...tally(r)]),
        )}
<h3>${t.byProduct}</h3>${table(
          'by-product',
          [t.product, t.entries, t.total],
          report.byProduct.map((r) => [escape(r.product), ...tally(r)]),
        )}`;
  const conflicts =
    report.conflicts.length === 0
      ? ''
      : `<h2>${t.conflictList}</h2>${table(
          'conflicts',
          [t.window, t.scannedAt, t.code, t.order, t.why],
          report.conflicts.map((c) => [
            escape(c.window),
            escape(c.scannedAt),
            escape(c.maskedCode),
            escape(c.orderId ?? ''),
            escape(c.lastReason ?? ''),
          ]),
        )}`;
  return page(
    lang,
    `<form method="post" action="/admin/pairing-code?lang=${lang}"><button>${t.newCode}</button></form>${code}
<h2>${t.windows}</h2>${windows}${conflicts}
<h2>${t.day} ${escape(report.day)}</h2>
<form method="get" action="/admin"><input type="hidden" name="lang" value="${lang}"><input type="date" name="day" value="${escape(report.day)}"> <button>${t.showDay}</button></form>
${day}
${fleetSection(lang, fleet)}`,
  );
}
