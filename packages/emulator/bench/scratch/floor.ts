const pieces: string[] = [];
for (let i = 0; i < 100000; i++) pieces.push('<privateDnsName>', 'ip-172-31-0-' + (i % 250) + '.ec2.internal', '</privateDnsName>');
function time(name: string, n: number, f: () => unknown) {
  for (let i = 0; i < 5; i++) f();
  const t: number[] = [];
  for (let i = 0; i < n; i++) { const t0 = performance.now(); f(); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b); console.log(name.padEnd(12), 'median', t[t.length >> 1]!.toFixed(2), 'min', t[0]!.toFixed(2));
}
console.log(pieces.join('').length);
time('join', 40, () => pieces.join(''));
time('join+buf', 40, () => Buffer.from(pieces.join('')));
time('concat+buf', 40, () => { let s = ''; for (let i = 0; i < pieces.length; i++) s += pieces[i]; return Buffer.from(s); });
time('bufwrite', 40, () => { const b = Buffer.allocUnsafe(8 << 20); let o = 0; for (let i = 0; i < pieces.length; i++) o += b.latin1Write(pieces[i]!, o); return b.subarray(0, o); });
time('bufwrite-utf8', 40, () => { const b = Buffer.allocUnsafe(8 << 20); let o = 0; for (let i = 0; i < pieces.length; i++) o += b.utf8Write(pieces[i]!, o); return b.subarray(0, o); });
