import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startEmulator } from '../../src/index';
const emu = await startEmulator({ clock: 'virtual' });
const ec2 = new EC2Client({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
await ec2.send(new DescribeRegionsCommand({}));
const busy = process.argv[2] === 'busy';
const t0 = Date.now();
if (busy) { while (Date.now() - t0 < 7000) { await new Promise((r) => setImmediate(r)); for (let i = 0; i < 1e6; i++); } }
else await new Promise((r) => setTimeout(r, 7000));
try { await ec2.send(new DescribeRegionsCommand({})); console.log('ok'); } catch (e) { console.log('fail', (e as Error).message); }
ec2.destroy(); await emu.close();
