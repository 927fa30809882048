import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/readme-snippets';

/**
 * docs/ARCHITECTURE.md stays true to the code: it names every folder of packages/api/src, each file
 * it names in a folder's row is in that folder, and it names every workspace package.
 */
const doc = readFileSync(join(repoRoot, 'docs', 'ARCHITECTURE.md'), 'utf8');
const apiSrc = join(repoRoot, 'packages', 'api', 'src');
const folders = readdirSync(apiSrc).filter((f) => statSync(join(apiSrc, f)).isDirectory());

/** The rows of the "by folder" table: `folder/` → the text of its row. */
function folderRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of doc.split('\n')) {
    const match = /^\| `([a-z-]+)\/` \| (.*) \|$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  return rows;
}

describe('docs/ARCHITECTURE.md', () => {
  it('describes every folder of packages/api/src, and no folder that is gone', () => {
    expect(folders.length).toBeGreaterThan(5);
    const rows = folderRows();
    expect(folders.filter((f) => !rows.has(f))).toEqual([]);
    expect([...rows.keys()].filter((f) => !folders.includes(f))).toEqual([]);
  });

  it('names only files that are in the folder it names them under', () => {
    const missing: string[] = [];
    let named = 0;
    for (const [folder, row] of folderRows()) {
      for (const [, file] of row.matchAll(/`([a-z0-9*-]+\.ts)`/g)) {
        named++;
        if (file!.includes('*')) {
          const pattern = new RegExp(`^${file!.replace('.', '\\.').replace('*', '.*')}$`);
          if (!readdirSync(join(apiSrc, folder)).some((f) => pattern.test(f)))
            missing.push(`${folder}/${file}`);
        } else if (!existsSync(join(apiSrc, folder, file!))) missing.push(`${folder}/${file}`);
      }
    }
    expect(named).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });

  it('names every workspace package', () => {
    const packages = ['packages', 'apps']
      .flatMap((dir) =>
        readdirSync(join(repoRoot, dir)).map((name) => join(repoRoot, dir, name, 'package.json')),
      )
      .concat(join(repoRoot, 'bench', 'package.json'))
      .filter(existsSync)
      .map((file) => (JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name);
    expect(packages.length).toBeGreaterThan(5);
    const unnamed = packages.filter(
      (name) => !doc.includes(`\`${name}\``) && !doc.includes(`\`${name.replace('@aws-trpc/', '')}\``),
    );
    expect(unnamed).toEqual([]);
  });
});
