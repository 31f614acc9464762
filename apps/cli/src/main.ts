import { parseArgs } from 'node:util';
import { runDemo } from './demo.ts';
import { runVerifyCli } from './verify-cli.ts';
import { runBackupCli } from './backup-cli.ts';
import { runPinCentre } from './pin-centre.ts';

const USAGE = `tangguh — perintah / commands:
  demo [--data DIR] [--fresh] [--residents N]   centre + Jember office + web UI with demo data
       [--time-zone Asia/Jayapura]              the office's zone on first run (default: its province's, WIB)
       [--office-db URL] [--central-db URL]     a node on PostgreSQL (postgres://…) instead of SQLite under DIR
       [--key-file FILE]                        master key sealing the private keys (default: .tangguh-demo-master.key beside DIR)
       [--central-tls-cert PEM --central-tls-key PEM [--central-ca PEM]]   the centre serves HTTPS; the office pins the CA (or the cert)
  pusat stop|start|status                       simulate a central outage in the running demo
  verify <png|jpg|pdf|TGH1:…> [--from URL | --lists DIR] [--root KEY] [--json]
                                                check a Suket or signed document (exit 0 only when ASLI)
  trust-fetch --out DIR [--from URL] [--root KEY]   save the root and signed lists for verify --lists DIR
  tte stop|start                                simulate an outage of the centre's e-signature (TTE) service
  backup --out FILE [--db PATH|URL]             consistent copy of a running office (SQLite online backup, or pg_dump)
  restore --from FILE [--db PATH|URL] [--central URL]   office stopped: put a backup back; continues after the centre
  pin-centre --ca PEM [--db PATH|URL]           pin the centre's TLS certificate (or its CA) in an office; then --central https://…
`;

const [command, ...rest] = process.argv.slice(2);
const CONTROL = 'http://127.0.0.1:7400';

async function main(): Promise<number> {
  switch (command) {
    case 'verify':
    case 'trust-fetch':
      return runVerifyCli(command, rest);
    case 'backup':
    case 'restore':
      return runBackupCli(command, rest);
    case 'pin-centre':
      return runPinCentre(rest);
    case 'demo': {
      const { values } = parseArgs({
        args: rest,
        options: {
          data: { type: 'string', default: 'data' },
          fresh: { type: 'boolean', default: false },
          residents: { type: 'string', default: '300' },
          'central-port': { type: 'string', default: '7100' },
          'office-port': { type: 'string', default: '7200' },
          'time-zone': { type: 'string' },
          'office-db': { type: 'string' },
          'central-db': { type: 'string' },
          'key-file': { type: 'string' },
          'central-tls-cert': { type: 'string' },
          'central-tls-key': { type: 'string' },
          'central-ca': { type: 'string' },
        },
      });
      await runDemo({
        dataDir: values.data,
        fresh: values.fresh,
        residents: Number(values.residents),
        centralPort: Number(values['central-port']),
        officePort: Number(values['office-port']),
        controlPort: 7400,
        timeZone: values['time-zone'],
        officeDb: values['office-db'],
        centralDb: values['central-db'],
        keyFile: values['key-file'],
        centralTls:
          values['central-tls-cert'] && values['central-tls-key'] ? { cert: values['central-tls-cert'], key: values['central-tls-key'], ca: values['central-ca'] } : undefined,
      });
      return -1;
    }
    case 'pusat': {
      const action = rest[0];
      if (action !== 'stop' && action !== 'start' && action !== 'status') break;
      try {
        const response = await fetch(`${CONTROL}/${action === 'status' ? 'status' : `central/${action}`}`, { method: action === 'status' ? 'GET' : 'POST' });
        console.log(await response.text());
        return response.ok ? 0 : 1;
      } catch {
        console.error('Demo tidak berjalan (jalankan `npm start`). / The demo is not running (run `npm start`).');
        return 1;
      }
    }
    case 'tte': {
      const action = rest[0];
      if (action !== 'stop' && action !== 'start') break;
      try {
        const response = await fetch(`${CONTROL}/tte/${action}`, { method: 'POST' });
        console.log(await response.text());
        return response.ok ? 0 : 1;
      } catch {
        console.error('Demo tidak berjalan (jalankan `npm start`). / The demo is not running (run `npm start`).');
        return 1;
      }
    }
  }
  process.stderr.write(USAGE);
  return 2;
}

const code = await main();
if (code >= 0) process.exit(code);
