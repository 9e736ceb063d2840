// The few functions the server calls in citeproc-js (CSL, loaded before this file). One citeproc engine per
// style and locale is kept; items are handed in as CSL-JSON with each call, so nothing of a library lives in
// the script but what the call needs.
var __items = {};
var __engines = {};
var __sys = {
  retrieveLocale: function (lang) { return __locales[lang] || __locales[String(lang).split('-')[0]] || null; },
  retrieveItem: function (id) { return __items[id]; }
};

function __engine(key, styleXml, lang) {
  var engine = __engines[key];
  if (!engine) {
    engine = new CSL.Engine(__sys, styleXml, lang, true);
    engine.setOutputFormat('text');
    __engines[key] = engine;
  }
  return engine;
}

function __register(engine, itemsJson) {
  var items = JSON.parse(itemsJson), ids = [];
  for (var i = 0; i < items.length; i++) { __items[items[i].id] = items[i]; ids.push(items[i].id); }
  engine.updateItems(ids);
  return ids;
}

// The bibliography of the items handed in, as a JSON array of [id, text] in the style's order. A style with a
// label column (IEEE's "[1]") puts the label first; `label` says whether to keep it.
function bibliography(key, styleXml, lang, itemsJson) {
  var engine = __engine(key, styleXml, lang);
  __register(engine, itemsJson);
  if (!engine.bibliography) return '[]';
  var result = engine.makeBibliography();
  if (!result) return '[]';
  var meta = result[0], entries = result[1], out = [];
  for (var i = 0; i < entries.length; i++) {
    var ids = meta.entry_ids[i];
    out.push([String(ids[0]), entries[i], !!meta['second-field-align']]);
  }
  return JSON.stringify(out);
}

// One citation cluster (the text of "[see @a, p. 3; @b]"), the items registered in the order given.
function cluster(key, styleXml, lang, itemsJson, citeJson) {
  var engine = __engine(key, styleXml, lang);
  __register(engine, itemsJson);
  var cite = JSON.parse(citeJson);
  return engine.previewCitationCluster({ citationItems: cite, properties: { noteIndex: 0 } }, [], [], 'text');
}
