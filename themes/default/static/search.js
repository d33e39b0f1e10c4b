// The search engine of the default theme: it reads the partner's index in pieces
// (search/manifest.json, then the chunks the query's words fall in, then the fragments
// of the results shown) and ranks pages. theme.js loads it on first use and draws the
// results. Words are folded, split and stemmed exactly as they were when the index
// was built (src/emit/search/words.rs): a change there is a change here.
var KbSearch = (function () {
  "use strict";

  var MAX_WORD = 40;
  var STOP = {
    en: "a an and are as at be by for from if in into is it its of on or that the then this to was were will with",
    de: "auf aus bei das dass dem den der des die ein eine einem einen einer es fur im in ist mit oder sich sind und von wird zu zum zur",
    fr: "au aux avec ce ces dans de des du elle en est et il la le les leur ou par pour qui que sa se son sur un une",
  };
  var stopWords = {};
  Object.keys(STOP).forEach(function (lang) {
    stopWords[lang] = {};
    STOP[lang].split(" ").forEach(function (w) { stopWords[lang][w] = true; });
  });

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/ß/g, "ss");
  }

  var WORD = /[\p{Alphabetic}\p{N}]+/gu;

  function words(folded) {
    return folded.match(WORD) || [];
  }

  function length(word) { return Array.from(word).length; }

  function ends(w, suffix) { return w.length >= suffix.length && w.slice(w.length - suffix.length) === suffix; }
  function isVowel(c) { return "aeiouy".indexOf(c) >= 0; }
  function hasVowel(w) { return w.some(isVowel); }

  // The stemmers work on arrays of characters, as the Rust ones do.
  function stemEnglish(w) {
    if (w.length <= 3) return w;
    var s = w.join("");
    if (ends(s, "sses")) w = w.slice(0, -2);
    else if (ends(s, "ies") && w.length > 4) w = w.slice(0, -3).concat(["y"]);
    else if (ends(s, "s") && !ends(s, "ss") && !ends(s, "us") && !ends(s, "is")) w = w.slice(0, -1);
    s = w.join("");
    var verb = false;
    if (ends(s, "ied") && w.length > 4) w = w.slice(0, -3).concat(["y"]);
    else if (ends(s, "ing") && w.length >= 6 && hasVowel(w.slice(0, -3))) { w = w.slice(0, -3); verb = true; }
    else if (ends(s, "ed") && w.length >= 5 && hasVowel(w.slice(0, -2))) { w = w.slice(0, -2); verb = true; }
    else if (ends(s, "ment") && w.length >= 8) w = w.slice(0, -4);
    else if (ends(s, "ly") && w.length >= 6) w = w.slice(0, -2);
    if (verb && w.length >= 3) {
      var last = w[w.length - 1];
      if (last === w[w.length - 2] && !isVowel(last) && "lsz".indexOf(last) < 0) w = w.slice(0, -1);
    }
    if (w[w.length - 1] === "e" && w.length >= 4) w = w.slice(0, -1);
    return w;
  }

  function stemGerman(w) {
    var s = w.join("");
    if (ends(s, "ungen")) return w.slice(0, -2);
    var suffixes = ["ern", "em", "en", "er", "es"];
    if (w.length >= 6) {
      for (var i = 0; i < suffixes.length; i++) {
        if (ends(s, suffixes[i])) return w.slice(0, -suffixes[i].length);
      }
    }
    if (w.length >= 5 && (ends(s, "e") || ends(s, "s") || ends(s, "n"))) return w.slice(0, -1);
    return w;
  }

  function stemFrench(w) {
    if (w.length <= 4) return w;
    var s = w.join("");
    if (ends(s, "aux") && w.length > 5) return w.slice(0, -3).concat(["a", "l"]);
    if (ends(s, "s") || ends(s, "x")) w = w.slice(0, -1);
    s = w.join("");
    if (ends(s, "ement") && w.length >= 8) w = w.slice(0, -5);
    else if (ends(s, "er") && w.length >= 6) w = w.slice(0, -2);
    for (var i = 0; i < 2; i++) {
      if (w[w.length - 1] === "e" && w.length >= 5) w = w.slice(0, -1);
    }
    return w;
  }

  function stem(word, lang) {
    if (/[^\p{Alphabetic}]/u.test(word)) return word;
    var w = Array.from(word);
    if (lang === "en") w = stemEnglish(w);
    else if (lang === "de") w = stemGerman(w);
    else if (lang === "fr") w = stemFrench(w);
    return w.join("");
  }

  // The index term of a folded word, or null for a stop word, a letter or a long string.
  function term(word, lang) {
    var n = length(word);
    if (n < 2 || n > MAX_WORD || (stopWords[lang] && stopWords[lang][word])) return null;
    return stem(word, lang);
  }

  // Whether a and b are one edit apart: a letter added, dropped, changed, or two
  // neighbours swapped.
  function oneEdit(a, b) {
    if (a === b) return false;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // A query: quoted phrases and loose words, each word with its term.
  function parse(query, lang) {
    var folded = fold(query);
    var phrases = [];
    var loose = folded.replace(/"([^"]*)"/g, function (_, inner) {
      var ws = words(inner);
      if (ws.length) phrases.push(ws);
      return " " + inner + " ";
    });
    var all = words(loose);
    var typingLast = /[\p{Alphabetic}\p{N}]$/u.test(folded) && !/"[^"]*"\s*$/.test(folded);
    var parts = [];
    all.forEach(function (word, i) {
      var t = term(word, lang);
      if (t === null) return;
      var last = i === all.length - 1;
      if (parts.some(function (p) { return p.term === t; })) return;
      parts.push({ word: word, term: t, prefix: last && typingLast && length(word) >= 2 });
    });
    return { words: parts, phrases: phrases };
  }

  function Engine(base) {
    this.base = base;
    this.chunks = {};
    this.fragments = {};
    this.manifest = null;
  }

  Engine.prototype.ready = function () {
    var self = this;
    if (!this.loading) {
      // Revalidated rather than cached: it names the current chunks and fragments.
      this.loading = fetch(this.base + "manifest.json", { cache: "no-cache" })
        .then(function (r) { if (!r.ok) throw new Error("search index: " + r.status); return r.json(); })
        .then(function (m) {
          // Fragment files' first pages, from differences.
          var starts = [], at = { i: 0 }, page = 0;
          while (at.i < m.frags.length) { page += number(m.frags, at); starts.push(page); }
          m.frags = starts;
          self.manifest = m;
          return m;
        });
    }
    return this.loading;
  };

  // The number of the chunk a term falls in.
  Engine.prototype.chunkOf = function (t) {
    var list = this.manifest.chunks;
    var lo = 0, hi = list.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (list[mid][0] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  Engine.prototype.chunk = function (n) {
    var self = this;
    if (!this.chunks[n]) {
      var url = this.base + "c/" + n + ".json?v=" + this.manifest.chunks[n][1];
      this.chunks[n] = fetch(url).then(function (r) { return r.json(); }).catch(function () {
        delete self.chunks[n];
        return {};
      });
    }
    return this.chunks[n];
  };

  Engine.prototype.fragmentFile = function (page) {
    var starts = this.manifest.frags;
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= page) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  // The entry of one page: URL, title, section, and its heading sections.
  Engine.prototype.entry = function (page) {
    var self = this;
    var n = this.fragmentFile(page);
    if (!this.fragments[n]) {
      var url = this.base + "f/" + n + ".json?v=" + this.manifest.fv;
      this.fragments[n] = fetch(url).then(function (r) { return r.json(); }).catch(function () {
        delete self.fragments[n];
        return [];
      });
    }
    return this.fragments[n].then(function (list) { return list[page - self.manifest.frags[n]] || null; });
  };

  // The terms each query word matches, with how well: the word's own term, terms it
  // begins (while it is being typed), and terms one edit away (words of 5+ letters).
  Engine.prototype.matches = function (part) {
    var self = this;
    var t = part.term;
    var home = this.chunkOf(t);
    var wanted = [home];
    if (part.prefix) {
      var last = Math.min(this.chunkOf(part.word + "\uffff"), this.chunkOf(part.word) + 1);
      for (var n = this.chunkOf(part.word); n <= last; n++) if (wanted.indexOf(n) < 0) wanted.push(n);
    }
    return Promise.all(wanted.map(function (n) { return self.chunk(n); })).then(function (loaded) {
      var own = loaded[0];
      var typo = length(t) >= 5;
      var extra = [];
      // A misspelling may sort into a neighbouring chunk (pasword / password).
      if (typo && !own[t]) {
        if (home > 0) extra.push(home - 1);
        if (home + 1 < self.manifest.chunks.length) extra.push(home + 1);
      }
      return Promise.all(extra.map(function (n) { return self.chunk(n); })).then(function (more) {
        var found = {};
        loaded.concat(more).forEach(function (chunk) {
          Object.keys(chunk).forEach(function (candidate) {
            var quality = 0;
            if (candidate === t) quality = 1;
            else if (part.prefix && (candidate.indexOf(part.word) === 0 || candidate.indexOf(t) === 0)) quality = 0.7;
            else if (typo && length(candidate) >= 4 && oneEdit(candidate, t)) quality = 0.45;
            if (quality > (found[candidate] ? found[candidate].quality : 0)) {
              found[candidate] = { quality: quality, postings: decode(chunk[candidate]) };
            }
          });
        });
        return found;
      });
    });
  };

  // Postings as written by the index (push_posting in src/emit/search/mod.rs): per
  // posting, the page as a difference from the previous one in 5-bit digits (all but
  // the last flagged with 32), then its code in two 6-bit digits.
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = {};
  for (var d = 0; d < 64; d++) VALUE[DIGITS.charAt(d)] = d;

  // Reads one number at `at.i`.
  function number(text, at) {
    var value = 0, digit;
    do {
      digit = VALUE[text.charAt(at.i++)];
      value = value * 32 + (digit & 31);
    } while (digit >= 32 && at.i < text.length);
    return value;
  }

  function decode(text) {
    var out = [];
    var at = { i: 0 };
    while (at.i < text.length) {
      var delta = number(text, at);
      var i = at.i;
      var code = VALUE[text.charAt(i)] * 64 + VALUE[text.charAt(i + 1)];
      at.i = i + 2;
      out.push(delta, code);
    }
    return out;
  }

  // A posting's worth: title > heading > front matter > body (saturating in how often,
  // less for long pages) > code.
  function fieldScore(code, avg) {
    var fields = code & 31, step = (code >> 5) & 15, bucket = code >> 9;
    // Steps past 8 stand for about 1.3 times as many as the step before (tf_step).
    var tf = step <= 8 ? step : 8 * Math.pow(2, (step - 8 + 0.5) / 2.5);
    var base = fields & 1 ? 3 : fields & 2 ? 1.6 : fields & 4 ? 1.3 : 0;
    var len = 50 * (1.5 * Math.pow(2, bucket) - 1);
    var body = tf > 0 ? (tf * 2.5) / (tf + 1.5 * (0.25 + 0.75 * len / Math.max(avg, 1))) : 0;
    return base + body + (fields & 16 ? 0.4 : 0);
  }

  // Pages for the query, best first: [{page, score}], and the terms that matched,
  // each with the number of the query word it answers (to mark in snippets). Pages must match every word; when none does, those
  // matching most words come first.
  Engine.prototype.search = function (query) {
    var self = this;
    return this.ready().then(function (manifest) {
      var parsed = parse(query, manifest.lang);
      if (!parsed.words.length) return { pages: [], terms: {}, parsed: parsed };
      return Promise.all(parsed.words.map(function (part) { return self.matches(part); })).then(function (perWord) {
        var total = manifest.pages;
        var scores = {};
        var counts = {};
        var terms = {};
        perWord.forEach(function (found, w) {
          var best = {};
          Object.keys(found).forEach(function (candidate) {
            var match = found[candidate];
            var postings = match.postings;
            var df = postings.length / 2;
            var idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
            if (!(candidate in terms)) terms[candidate] = w;
            var page = 0;
            for (var i = 0; i < postings.length; i += 2) {
              page += postings[i];
              var value = match.quality * idf * fieldScore(postings[i + 1], manifest.avg);
              if (!(best[page] >= value)) best[page] = value;
            }
          });
          Object.keys(best).forEach(function (page) {
            scores[page] = (scores[page] || 0) + best[page];
            counts[page] = (counts[page] || 0) + 1;
          });
        });
        var pages = Object.keys(scores).map(function (page) {
          return { page: +page, score: scores[page], words: counts[page] };
        });
        var most = pages.reduce(function (m, p) { return Math.max(m, p.words); }, 0);
        if (parsed.phrases.length) most = parsed.words.length;
        pages = pages.filter(function (p) { return p.words === most; });
        pages.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
        return { pages: pages, terms: terms, parsed: parsed };
      });
    });
  };

  // Whether an entry holds each quoted phrase, word after word.
  function holdsPhrases(entry, phrases, lang) {
    if (!phrases.length) return true;
    var text = [entry.t, entry.m || ""].concat(entry.s.map(function (s) { return s[1] + "\n" + s[2] + "\n" + s[3]; })).join("\n");
    var ws = words(fold(text)).map(function (w) { return stem(w, lang); });
    return phrases.every(function (phrase) {
      var want = phrase.map(function (w) { return stem(w, lang); });
      outer: for (var i = 0; i + want.length <= ws.length; i++) {
        for (var j = 0; j < want.length; j++) if (ws[i + j] !== want[j]) continue outer;
        return true;
      }
      return false;
    });
  }

  // The entries of `count` results from `from` on, fetched; pages failing a quoted
  // phrase are left out (and counted in `skipped`).
  Engine.prototype.entries = function (result, from, count) {
    var self = this;
    var lang = this.manifest.lang;
    var phrases = result.parsed.phrases;
    var out = [];
    var at = from;
    function more() {
      if (out.length >= count || at >= result.pages.length) return Promise.resolve({ entries: out, next: at });
      var batch = result.pages.slice(at, at + count - out.length);
      at += batch.length;
      return Promise.all(batch.map(function (p) { return self.entry(p.page); })).then(function (list) {
        list.forEach(function (entry, i) {
          if (!entry) return;
          if (!holdsPhrases(entry, phrases, lang)) {
            result.pages.splice(result.pages.indexOf(batch[i]), 1);
            at--;
            return;
          }
          out.push({ entry: entry, page: batch[i].page });
        });
        return more();
      });
    }
    return more();
  };

  return { Engine: Engine, decode: decode, fold: fold, words: words, term: term, stem: stem, oneEdit: oneEdit, parse: parse, holdsPhrases: holdsPhrases };
})();
