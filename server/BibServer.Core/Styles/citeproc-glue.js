// The few functions the server calls in citeproc-js (CSL, loaded before this file). One citeproc engine per
// style and locale is kept; items are handed in as CSL-JSON with each call, so nothing of a library lives in
// the script but what the call needs.

// Title case as pandoc's citeproc does it (jgm/citeproc, Citeproc.CaseTransform and Citeproc.Pandoc), not as
// citeproc-js does: BibServer shows what pandoc will print, and the two processors' title casers differ on words
// that are neither lowercase nor capitalised. pandoc's cuts the text into runs of letters and digits, each other
// character alone, and spaces; it changes only a run that is all lowercase, or that has capitals and no lowercase
// but is not all capitals ("3D" -> "3d", "CO2" -> "Co2"); it capitalises a run after a space, a hyphen, a slash or
// a dash (never after a period inside a word, so "arXiv.org" and "file.pdf" stay; citeproc-js gives "arXiv.Org"),
// skips one-letter words ("x-ray" -> "x-Ray", where citeproc-js gives "X-Ray") and the stop words, capitalises
// the first word and the first word after ". ", "? ", "! ", ": ", and a last word of more than one letter even if
// it is a stop word, but only when the field's own formatting does not wrap it (an italic container title keeps
// "Symposium on"). The stop words are pandoc's (the CSL specification's, and the particles van, von, de, d, l),
// not citeproc-js's longer list ("without", "through", "during" are capitalised) nor a locale's skip-words. What
// a nocase span, small caps, a superscript or a subscript holds is left as it is. Every other text case
// (sentence, capitalize-first, ...) stays citeproc-js's own.
var __pandocTitle = (function () {
  var STOP = {};
  ["a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of", "on", "onto", "or",
   "over", "so", "the", "till", "to", "up", "via", "with", "yet", "about", "van", "von", "de", "d", "l"]
    .forEach(function (w) { STOP[w] = true; });
  var unicode = (function () { try { return new RegExp("\\p{L}", "u").test("\u00e9"); } catch (e) { return false; } })();
  var ALNUM = unicode ? new RegExp("^[\\p{L}\\p{N}]$", "u") : null;
  var UPPER = unicode ? new RegExp("^[\\p{Lu}\\p{Lt}]$", "u") : null;
  var LOWER = unicode ? new RegExp("^\\p{Ll}$", "u") : null;
  function isAlnum(c) { return unicode ? ALNUM.test(c) : (/[0-9]/.test(c) || c.toLowerCase() !== c.toUpperCase()); }
  function isUpper(c) { return unicode ? UPPER.test(c) : (c !== c.toLowerCase() && c === c.toUpperCase()); }
  function isLower(c) { return unicode ? LOWER.test(c) : (c !== c.toUpperCase() && c === c.toLowerCase()); }
  function isSpace(c) { return /\s/.test(c); }
  function isWordBreak(c) { return c === "-" || c === "/" || c === "\u2013" || c === "\u2014" || isSpace(c); }
  // The tags of citeproc-js's rich text: those whose content pandoc's title caser does not enter, and the others.
  var TAG = /<span\s+class="nocase"[^>]*>|<span\s+class="nodecor"[^>]*>|<span\s+style="font-variant:\s*small-caps;?"[^>]*>|<\/span>|<\/?(?:i|b|sc|sub|sup)>/g;
  function opensSkip(tag) { return /nocase|small-caps|^<sc>|^<sub>|^<sup>/.test(tag); }

  // The state after a piece of text, from its last character (pandoc's `g`).
  function next(st, text) {
    var chars = Array.from(text);
    if (chars.length === 0) return st;
    var c = chars[chars.length - 1];
    if (c === "." || c === "?" || c === "!" || c === ":") return "AfterPunct";
    if (isAlnum(c)) return "AfterWordChar";
    if (isSpace(c) && st === "AfterPunct") return "StartSentence";
    if (isWordBreak(c)) return "AfterWordEnd";
    return st;
  }

  function titleWord(st, word) {
    var chars = Array.from(word);
    var anyUpper = chars.some(isUpper), anyLower = chars.some(isLower);
    if (anyUpper && anyLower) return word;
    if (chars.every(isUpper)) return word;
    var lower = word.toLowerCase();
    var cap = function () { var l = Array.from(lower); return l[0].toUpperCase() + l.slice(1).join(""); };
    if (st === "Start" || st === "StartSentence") return cap();
    if (st === "AfterWordEnd" && !STOP[word] && chars.length > 1) return cap();
    if (st === "BeforeLastWord" && chars.length > 1) return cap();
    return word;
  }

  // One word (pandoc's Str) cut into runs of letters and digits, runs of spaces and single other characters.
  function titleStr(state, str) {
    var out = "", run = "", kind = null;
    function flush() {
      if (!run) return;
      var st = state.st;
      state.st = next(st, run);
      out += kind === "alnum" ? titleWord(st, run) : run;
      run = "";
    }
    Array.from(str).forEach(function (c) {
      var k = isAlnum(c) ? "alnum" : isSpace(c) ? "space" : "other";
      if (k !== kind || k === "other") flush();
      kind = k;
      run += c;
    });
    flush();
    return out;
  }

  return function (string, wrapped) {
    if (!string) return "";
    var tokens = [], at = 0, m;
    TAG.lastIndex = 0;
    while ((m = TAG.exec(string)) !== null) {
      if (m.index > at) tokens.push({ text: string.slice(at, m.index) });
      tokens.push({ tag: m[0] });
      at = m.index + m[0].length;
    }
    if (at < string.length) tokens.push({ text: string.slice(at) });

    // Which word is the field's last top-level word (pandoc's last Str, with something before it and no word
    // break in it), the one a stop word is capitalised in.
    var lastWord = null;
    var last = tokens[tokens.length - 1];
    if (!wrapped && last && last.text !== undefined && !isSpace(last.text.slice(-1))) {
      var depth = 0;
      tokens.forEach(function (t) { if (t.tag) depth += /^<\//.test(t.tag) ? -1 : 1; });
      var words = last.text.split(/[ \t\r\n]+/);
      var word = words[words.length - 1];
      var before = tokens.length > 1 || words.length > 1;
      var quoted = /["\u201d]$/.test(word) || (/['\u2019]$/.test(word) && /^['\u2018]/.test(word));
      if (depth === 0 && before && !quoted && !Array.from(word).some(isWordBreak)) lastWord = word;
    }

    var state = { st: "Start" }, stack = [], skipped = "", out = "";
    tokens.forEach(function (t, i) {
      if (t.tag) {
        out += t.tag;
        if (/^<\//.test(t.tag)) {
          var skip = stack.pop();
          if (skip && stack.indexOf(true) < 0) { state.st = next(state.st, skipped); skipped = ""; }
        } else {
          stack.push(opensSkip(t.tag));
        }
        return;
      }
      if (stack.indexOf(true) >= 0) {
        out += t.text;
        skipped += t.text.replace(/[ \t\r\n]+/g, "");
        return;
      }
      var parts = t.text.split(/([ \t\r\n]+)/);
      parts.forEach(function (part, j) {
        if (!part) return;
        if (/^[ \t\r\n]+$/.test(part)) { state.st = next(state.st, " "); out += part; return; }
        if (lastWord !== null && i === tokens.length - 1 && j === parts.length - 1
            && (state.st === "AfterWordEnd" || state.st === "StartSentence" || state.st === "Start")) {
          state.st = "BeforeLastWord";
        }
        out += titleStr(state, part);
      });
    });
    return out;
  };
})();

// Whether the element being rendered has formatting of its own that pandoc applies before its text case (italic,
// bold, small caps, underline, raised or lowered text): citeproc-js's formatter is told through this.
var __wrapped = false;
(function () {
  var WRAPS = { "@font-style": { italic: true, oblique: true }, "@font-weight": { bold: true },
    "@font-variant": { "small-caps": true }, "@text-decoration": { underline: true, none: true },
    "@vertical-align": { sup: true, sub: true } };
  var append = CSL.Output.Queue.prototype.append;
  CSL.Output.Queue.prototype.append = function (str, tokname) {
    var token = !tokname ? null : typeof tokname === "string" ? (tokname === "literal" ? null : this.formats.value()[tokname]) : tokname;
    var wraps = !!(token && token.decorations && token.decorations.some(function (d) { return WRAPS[d[0]] && WRAPS[d[0]][d[1]]; }));
    var outer = __wrapped;
    __wrapped = wraps;
    try { return append.apply(this, arguments); } finally { __wrapped = outer; }
  };
  CSL.Output.Formatters.title = function (state, string) { return __pandocTitle(string, __wrapped); };
})();

// Punctuation at a closing quotation mark, as pandoc's citeproc leaves it where the locale puts punctuation inside
// quotes (en-US): a quotation that ends in punctuation takes no more ("Mobile HCI?” in", where citeproc-js writes
// "HCI?,” in"), a period or comma after the closing mark goes inside it, and one that closes a quotation inside a
// quotation stays outside the inner one ("‘Relaxational Processes’.”", citeproc-js "Processes.’”"). pandoc does it
// on its output (Citeproc.Pandoc's movePunctuationInsideQuotes); so is it done here, on citeproc-js's text.
function __pandocQuotePunctuation(engine, text) {
  if (!text || !engine.getOpt('punctuation-in-quote')) return text;
  return text
    .replace(/\u201d([.,])/g, "$1\u201d")
    .replace(/([.,;:!?])[.,]\u201d/g, "$1\u201d")
    .replace(/\u2018([^\u2018\u2019\u201c\u201d]*?)([.,])\u2019\u201d/g, "\u2018$1\u2019$2\u201d");
}

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
    out.push([String(ids[0]), __pandocQuotePunctuation(engine, entries[i]), !!meta['second-field-align']]);
  }
  return JSON.stringify(out);
}

// One citation cluster (the text of "[see @a, p. 3; @b]"), the items registered in the order given.
function cluster(key, styleXml, lang, itemsJson, citeJson) {
  var engine = __engine(key, styleXml, lang);
  __register(engine, itemsJson);
  var cite = JSON.parse(citeJson);
  return __pandocQuotePunctuation(engine, engine.previewCitationCluster({ citationItems: cite, properties: { noteIndex: 0 } }, [], [], 'text'));
}
