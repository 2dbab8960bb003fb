import type { Migration } from '../migrate';

/**
 * The site hub (issue 17): each scan's site-wide claim, and the durable outbox of history changes
 * the window sends to its hub.
 *
 * `scans.site_claim`: NULL without a hub; 'claimed' (the hub said this window may use it),
 * 'unclaimed' (the hub was away: claimed later), 'lost' (a later claim found another window had it
 * first: a conflict), 'released' (Douyin refused, the site may use the ticket again).
 *
 * `hub_changes` is filled by triggers in the very transaction that changes a scan, an attempt, a
 * shift or an operator, so no change can be made without its entry, whatever crashes when. It is
 * filled only while `hub_link` holds its row (the window is paired): a window without a hub keeps
 * no growing log. `seq` is AUTOINCREMENT so a number is never reused after the sent entries are
 * deleted: the hub applies each window's entries once, in `seq` order, above the last it applied.
 */
export const m0011HubReplication: Migration = {
  version: 11,
  name: '0011_hub_replication',
  up(db) {
    db.exec(`
      ALTER TABLE scans ADD COLUMN site_claim TEXT CHECK (site_claim IN ('claimed','unclaimed','lost','released'));
      CREATE INDEX scans_site_claim ON scans (site_claim, id) WHERE site_claim IN ('unclaimed','claimed');

      CREATE TABLE hub_link (
        id        INTEGER PRIMARY KEY CHECK (id = 1),
        window_id TEXT    NOT NULL,
        linked_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE hub_changes (
        seq  INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT    NOT NULL CHECK (kind IN ('scan','attempt','shift','operator')),
        ref  INTEGER NOT NULL
      ) STRICT;

      CREATE TRIGGER hub_scan_insert AFTER INSERT ON scans WHEN EXISTS (SELECT 1 FROM hub_link)
        BEGIN INSERT INTO hub_changes (kind, ref) VALUES ('scan', NEW.id); END;
      CREATE TRIGGER hub_scan_update AFTER UPDATE OF verdict, reason, outcome, site_claim, people, amount_fen ON scans
        WHEN EXISTS (SELECT 1 FROM hub_link)
        BEGIN INSERT INTO hub_changes (kind, ref) VALUES ('scan', NEW.id); END;
      CREATE TRIGGER hub_attempt_insert AFTER INSERT ON attempts WHEN EXISTS (SELECT 1 FROM hub_link)
        BEGIN INSERT INTO hub_changes (kind, ref) VALUES ('attempt', NEW.id); END;
      CREATE TRIGGER hub_shift_insert AFTER INSERT ON shifts WHEN EXISTS (SELECT 1 FROM hub_link)
        BEGIN INSERT INTO hub_changes (kind, ref) VALUES ('shift', NEW.id); END;
      CREATE TRIGGER hub_shift_update AFTER UPDATE OF closed_at, close_kind, report ON shifts WHEN EXISTS (SELECT 1 FROM hub_link)
        BEGIN INSERT INTO hub_changes (kind, ref) VALUES ('shift', NEW.id); END;
      CREATE TRIGGER hub_operator_insert AFTER INSERT ON operators WHEN EXISTS (SELECT 1 FROM hub_link)
        BEGIN INSERT INTO hub_changes (kind, ref) VALUES ('operator', NEW.id); END;
      CREATE TRIGGER hub_operator_update AFTER UPDATE OF name, role, disabled ON operators WHEN EXISTS (SELECT 1 FROM hub_link)
        BEGIN INSERT INTO hub_changes (kind, ref) VALUES ('operator', NEW.id); END;
    `);
  },
};
