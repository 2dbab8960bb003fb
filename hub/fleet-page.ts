import type { AdminLang } from './admin-page';
import type { Db } from './db';
import { listReleases, type ReleaseRow } from './releases';

/** What the admin page shows of the fleet: the last voucher load, releases, windows' groups. */
export interface FleetView {
  lastLoad: { loadedAt: string; orders: number; changed: number; removed: number } | undefined;
  releases: ReleaseRow[];
  windows: { id: string; name: string; group: string | null; vouchersAt: string | null }[];
}

export async function fleetView(db: Db): Promise<FleetView> {
  const load = await db.query<{ loaded_at: string; orders: number; changed: number; removed: number }>(
    `SELECT to_char(loaded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS loaded_at, orders, changed, removed
       FROM hub_voucher_loads ORDER BY id DESC LIMIT 1`,
  );
  const windows = await db.query<{ id: string; name: string; rollout_group: string | null; vouchers_at: string | null }>(
    `SELECT w.id, w.name, w.rollout_group,
            (SELECT to_char(max(p.pulled_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')
               FROM hub_voucher_pulls p WHERE p.window_id = w.id) AS vouchers_at
       FROM windows w WHERE w.revoked_at IS NULL ORDER BY w.name`,
  );
  const last = load.rows[0];
  return {
    lastLoad: last && { loadedAt: last.loaded_at, orders: last.orders, changed: last.changed, removed: last.removed },
    releases: await listReleases(db),
    windows: windows.rows.map((w) => ({ id: w.id, name: w.name, group: w.rollout_group, vouchersAt: w.vouchers_at })),
  };
}

// Fleet words of the hub admin page; zh-CN is the default, as in the app.
const words = {
  'zh-CN': {
    vouchers: '凭证',
    loadVouchers: '加载凭证文件',
    voucherHint: '文件即全站当前的凭证清单：新增和变更的订单下发到各窗口，文件中已没有的订单从窗口删除。',
    lastLoad: (l: NonNullable<FleetView['lastLoad']>) =>
      `上次加载 ${l.loadedAt}：${l.orders} 个订单，${l.changed} 个变更，${l.removed} 个删除`,
    updates: '更新',
    channel: '通道',
    version: '版本',
    groups: '分组',
    ready: '安装包',
    rolledBack: '回退窗口数',
    pilot: '仅试点',
    all: '全部窗口',
    upload: '上传版本',
    window: '窗口',
    group: '分组',
    setGroup: '设置分组',
    vouchersAt: '最后拉取凭证',
    yes: '已校验',
    no: '缺少',
  },
  en: {
    vouchers: 'Vouchers',
    loadVouchers: 'Load voucher file',
    voucherHint:
      'The file is the site’s whole current list: new and changed orders go to every window, orders no longer in it are removed.',
    lastLoad: (l: NonNullable<FleetView['lastLoad']>) =>
      `Last load ${l.loadedAt}: ${l.orders} orders, ${l.changed} changed, ${l.removed} removed`,
    updates: 'Updates',
    channel: 'Channel',
    version: 'Version',
    groups: 'Groups',
    ready: 'Installer',
    rolledBack: 'Windows rolled back',
    pilot: 'Pilot only',
    all: 'All windows',
    upload: 'Upload release',
    window: 'Window',
    group: 'Group',
    setGroup: 'Set group',
    vouchersAt: 'Vouchers pulled',
    yes: 'checked',
    no: 'missing',
  },
} as const;

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/**
 * The buttons post through fetch to the admin API with the page's cookie: files go as the body
 * (no multipart to parse), and the hub's answer — its words in this language — is shown as is.
 */
const SCRIPT = `<script>
const say = (id, text) => { document.getElementById(id).textContent = text; };
async function send(method, url, body, out) {
  const answer = await fetch(url, { method, body, headers: typeof body === 'string' && body.startsWith('{') ? { 'content-type': 'application/json' } : {} });
  const json = await answer.json().catch(() => ({}));
  if (!answer.ok) { say(out, json.message ? json.message[document.documentElement.lang] : answer.status); throw new Error('refused'); }
  return json;
}
document.getElementById('load-vouchers').onclick = async () => {
  const file = document.getElementById('voucher-file').files[0];
  if (!file) return;
  const json = await send('POST', '/admin/api/vouchers', await file.text(), 'voucher-result');
  say('voucher-result', JSON.stringify(json));
};
document.getElementById('upload-release').onclick = async () => {
  const channel = document.getElementById('release-channel').value || 'stable';
  const yml = document.getElementById('release-yml').files[0];
  const installer = document.getElementById('release-installer').files[0];
  if (!yml || !installer) return;
  const added = await send('POST', '/admin/api/releases?channel=' + encodeURIComponent(channel), await yml.text(), 'release-result');
  await send('PUT', '/admin/api/releases/' + channel + '/' + added.version + '/installer', installer, 'release-result');
  location.reload();
};
for (const button of document.querySelectorAll('[data-groups]')) button.onclick = async () => {
  await send('POST', '/admin/api/releases/' + button.dataset.release + '/groups', JSON.stringify({ groups: [button.dataset.groups] }), 'release-result');
  location.reload();
};
for (const button of document.querySelectorAll('[data-window]')) button.onclick = async () => {
  const group = document.getElementById('group-' + button.dataset.window).value.trim();
  await send('POST', '/admin/api/windows/' + button.dataset.window + '/group', JSON.stringify({ group: group || null }), 'release-result');
  location.reload();
};
</script>`;

export function fleetSection(lang: AdminLang, view: FleetView): string {
  const t = words[lang];
  const rows = (cells: string[][]) => cells.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  const releases = rows(
    view.releases.map((r) => [
      escape(r.channel),
      escape(r.version),
      escape(r.groups.join(', ')),
      r.complete ? t.yes : t.no,
      String(r.rolledBack),
      `<button data-release="${escape(`${r.channel}/${r.version}`)}" data-groups="pilot">${t.pilot}</button>
<button data-release="${escape(`${r.channel}/${r.version}`)}" data-groups="all">${t.all}</button>`,
    ]),
  );
  const windows = rows(
    view.windows.map((w) => [
      escape(w.name),
      escape(w.vouchersAt ?? ''),
      `<input id="group-${w.id}" value="${escape(w.group ?? '')}" size="10"> <button data-window="${w.id}">${t.setGroup}</button>`,
    ]),
  );
  return `<h2>${t.vouchers}</h2><p>${view.lastLoad ? escape(t.lastLoad(view.lastLoad)) : ''}</p><p>${t.voucherHint}</p>
<input type="file" id="voucher-file" accept=".jsonl,.json,.txt"> <button id="load-vouchers">${t.loadVouchers}</button>
<p data-testid="voucher-result" id="voucher-result" role="status"></p>
<h2>${t.updates}</h2>
<table data-testid="releases"><tr><th>${t.channel}</th><th>${t.version}</th><th>${t.groups}</th><th>${t.ready}</th><th>${t.rolledBack}</th><th></th></tr>${releases}</table>
<p><input id="release-channel" value="stable" size="8"> latest.yml <input type="file" id="release-yml" accept=".yml">
.exe <input type="file" id="release-installer" accept=".exe"> <button id="upload-release">${t.upload}</button></p>
<p id="release-result" role="status"></p>
<table data-testid="window-groups"><tr><th>${t.window}</th><th>${t.vouchersAt}</th><th>${t.group}</th></tr>${windows}</table>
${SCRIPT}`;
}
