// The few functions the server calls in citeproc-js (CSL, loaded before this file). One citeproc engine per
// style and locale is kept; items are handed in as CSL-JSON with each call, so nothing of a library lives in
// the script but what the call needs.
// Title case leaves lowercase only the stop words of the CSL specification (and the particles de, d', van, von, c),
// the list pandoc's citeproc uses; citeproc-js's own list adds some eighty prepositions ("without", "through",
// "during") that the specification and pandoc capitalise. A locale can still set its own with skip-words.
CSL.SKIP_WORDS = ["a", "an", "and", "as", "at", "but", "by", "c", "d", "d'", "de", "down", "for", "from", "in", "into",
  "nor", "of", "on", "onto", "or", "over", "so", "the", "till", "to", "up", "van", "via", "von", "with", "yet"];

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

// The items handed in are kept for citeproc-js to retrieve, also later (it looks up items it registered before
// when it updates its registry). So that a session rendering many papers (a hover on each of 100,000) does not
// keep them all in V8's heap, the table and the engines are started afresh once some 4 MB of items' JSON (a few
// thousand papers) has been handed in, before a call takes its engine; the engine is built again from the style
// (tens of milliseconds).
var __registered = 0;
function __bounded(itemsJson) {
  __registered += itemsJson.length;
  if (__registered <= 4000000) return;
  __registered = itemsJson.length;
  __items = {};
  __engines = {};
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
  __bounded(itemsJson);
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
  __bounded(itemsJson);
  var engine = __engine(key, styleXml, lang);
  __register(engine, itemsJson);
  var cite = JSON.parse(citeJson);
  return engine.previewCitationCluster({ citationItems: cite, properties: { noteIndex: 0 } }, [], [], 'text');
}
