// `node --import ./bench/register-resolve-hook.mjs`: installs resolve-hook.mjs (why: see there).
import { register } from 'node:module';

register('./resolve-hook.mjs', import.meta.url);
