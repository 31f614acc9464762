import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SqliteDialectKeepingErrors, cachingStatements } from './sqlite-dialect.ts';

describe('prepared statements kept by their SQL', () => {
  it('hands out the same statement for the same SQL, and a fresh one while the kept one is still iterating', () => {
    const sqlite = new Database(':memory:');
    sqlite.exec('create table t (n integer); insert into t values (1), (2), (3)');
    const db = cachingStatements(sqlite);
    const first = db.prepare('select n from t order by n');
    expect(db.prepare('select n from t order by n')).toBe(first);
    const rows = first.iterate([]);
    rows.next();
    const during = db.prepare('select n from t order by n');
    expect(during).not.toBe(first);
    expect(during.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    rows.return?.();
    expect(db.prepare('select n from t order by n')).toBe(first);
    db.close();
  });

  it('keeps at most the given number, dropping the least recently used', () => {
    const sqlite = new Database(':memory:');
    const db = cachingStatements(sqlite, 2);
    const a = db.prepare('select 1');
    const b = db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(a);
    db.prepare('select 3');
    expect(db.prepare('select 1')).toBe(a);
    expect(db.prepare('select 2')).not.toBe(b);
    db.close();
  });

  it('answers queries through Kysely as before, and sees a table a migration changed', async () => {
    const db = new Kysely<{ t: { n: number; m: number | null } }>({ dialect: new SqliteDialectKeepingErrors(new Database(':memory:')) });
    await sql`create table t (n integer)`.execute(db);
    await db.insertInto('t').values({ n: 1 } as never).execute();
    const read = () => db.selectFrom('t').selectAll().execute();
    expect(await read()).toEqual([{ n: 1 }]);
    await sql`alter table t add column m integer`.execute(db);
    expect(await read()).toEqual([{ n: 1, m: null }]);
    await db.destroy();
  });
});
