// Sanitises SVG markup from Go (the pairing QR) before it is inserted as
// markup: only an <svg> root survives, without scripts, foreign content,
// event handlers or links.

const dangerous = new Set(['script', 'foreignobject', 'iframe', 'object', 'embed', 'a', 'use', 'image', 'style']);

/** Returns safe SVG markup, or '' if markup is not an SVG document. */
export function sanitizeSvg(markup: string): string {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.nodeName.toLowerCase() !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) return '';
  const walk = (el: Element) => {
    for (const child of [...el.children]) {
      if (dangerous.has(child.nodeName.toLowerCase())) {
        child.remove();
        continue;
      }
      walk(child);
    }
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'href' || name.endsWith(':href')) {
        el.removeAttribute(attr.name);
      }
    }
  };
  walk(root);
  root.setAttribute('aria-hidden', 'true');
  return new XMLSerializer().serializeToString(root);
}
