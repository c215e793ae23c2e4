// Made-up chat messages for the benchmarks: a seeded generator of texts of
// realistic lengths (mostly a line, some paragraphs), some with Threema
// markup (*bold*, _italic_, ~strike~), links, emoji, and a few of one to
// three emoji alone (drawn large). The same seed gives the same texts.

const words = `the a to and of in is it you that for on with this be are have not at we can just was what so but
do all about get if out my your up like will one there time know when now some more would think how no see
really good well then them back here today going got make right sure need also because yes thanks maybe still
tomorrow tonight later morning evening weekend week train station coffee lunch dinner meeting office home
garden bike rain sun weather cold warm window kitchen book film music concert ticket shop market bread cheese
apples pineapple berries cake birthday party present mum dad kids dog cat neighbour flat keys phone laptop
photo photos holiday trip mountain lake beach hotel flight bus late early quickly slowly almost already
again never always often sometimes probably definitely exactly honestly funny great nice lovely awful busy
tired hungry happy ready done finished started plan plans idea question answer problem fix update news
message call write send read remember forgot bring take leave stay wait meet talk listen watch play cook`
  .split(/\s+/)
  .filter(Boolean);

const openers = ['Hey', 'Hi', 'Ok', 'Okay', 'So', 'Well', 'Oh', 'Haha', 'Sure', 'Right', 'Yes', 'No', 'Hmm', 'Wait', 'Btw'];
const emoji = ['😀', '😂', '🙂', '😉', '😍', '🤔', '😅', '😎', '🙈', '👍', '👏', '🙏', '🎉', '❤️', '🔥', '✨', '🍍', '☕', '🚲', '🌧️', '☀️', '🐶', '🐱', '🎂', '👨‍👩‍👧', '🏳️‍🌈', '👍🏽'];
const sites = ['https://example.org/articles/2026/garden-tips', 'https://www.openstreetmap.org/#map=15/47.3769/8.5417', 'www.example.com/menu', 'https://threema.ch/en/faq'];

/** A small fast PRNG (mulberry32) returning floats in [0, 1). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator of chat texts from seed. */
export function chatter(seed) {
  const rnd = random(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const between = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));

  function sentence(n) {
    const ws = Array.from({ length: n }, () => pick(words));
    if (rnd() < 0.3) ws.unshift(`${pick(openers)},`);
    let s = ws.join(' ');
    s = s[0].toUpperCase() + s.slice(1);
    return s + pick(['.', '.', '.', '!', '?', '', '…']);
  }

  function decorate(text) {
    const r = rnd();
    if (r < 0.04) return `${text.replace(/(\S+ \S+)/, '*$1*')}`;
    if (r < 0.07) return `${text.replace(/(\S+)$/, '_$1_')}`;
    if (r < 0.085) return `${text.replace(/(\S+ \S+)/, '~$1~')}`;
    if (r < 0.115) return `${text} ${pick(sites)}`;
    if (r < 0.26) return `${text} ${pick(emoji)}${rnd() < 0.3 ? pick(emoji) : ''}`;
    return text;
  }

  return function next() {
    const r = rnd();
    if (r < 0.025) return Array.from({ length: between(1, 3) }, () => pick(emoji)).join('');
    if (r < 0.6) return decorate(sentence(between(2, 10)));
    if (r < 0.9) return decorate(Array.from({ length: between(2, 3) }, () => sentence(between(5, 12))).join(' '));
    if (r < 0.98) return decorate(Array.from({ length: between(4, 8) }, () => sentence(between(6, 14))).join(' '));
    // A long one, in paragraphs.
    return Array.from({ length: between(2, 4) }, () => Array.from({ length: between(3, 6) }, () => sentence(between(6, 14))).join(' ')).join('\n\n');
  };
}
