import type { DayReport } from './scans';

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
    outcome: '结果',
    count: '数量',
    none: '暂无记录',
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
    outcome: 'Outcome',
    count: 'Count',
    none: 'No entries yet',
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

export function adminPage(lang: AdminLang, report: DayReport, pairingCode?: string): string {
  const t = words[lang];
  const code = pairingCode ? `<p class="code" data-testid="pairing-code">${escape(pairingCode)}</p><p>${t.codeHint}</p>` : '';
  const windowRows = report.windows
    .map(
      (w) =>
        `<tr><td>${escape(w.name)}</td><td>${escape(w.version ?? '')}</td><td>${escape(w.lastSeen ?? '')}</td><td>${
          w.revoked
            ? t.revoked
            : `<form method="post" action="/admin/windows/${w.id}/revoke?lang=${lang}"><button>${t.revoke}</button></form>`
        }</td></tr>`,
    )
    .join('');
  const hourRows = report.byHour
    .map(
      (r) =>
        `<tr><td>${String(r.hour).padStart(2, '0')}:00</td><td>${escape(r.window)}</td><td>${escape(r.outcome)}</td><td>${r.count}</td></tr>`,
    )
    .join('');
  return page(
    lang,
    `<form method="post" action="/admin/pairing-code?lang=${lang}"><button>${t.newCode}</button></form>${code}
<h2>${t.windows}</h2><table><tr><th>${t.name}</th><th>${t.version}</th><th>${t.lastSeen}</th><th></th></tr>${windowRows}</table>
<h2>${t.day} ${escape(report.day)}</h2>${
      hourRows
        ? `<table data-testid="day-report"><tr><th>${t.hour}</th><th>${t.window}</th><th>${t.outcome}</th><th>${t.count}</th></tr>${hourRows}</table>`
        : `<p>${t.none}</p>`
    }`,
  );
}
