// `npm run bench` (and `make bench`): parsing a message's markup, against
// @threema/threema-markup's own markify on the same text (docs/benchmarks.md).
import { markify } from '@threema/threema-markup';
import { bench, describe } from 'vitest';
import { parseMarkup } from './markup';

const texts: Record<string, string> = {
  'a chat message': 'See *you* at _eight_ tomorrow, the table is booked: https://example.com/booking?id=42 ~or nine~',
  // The longest text a message may carry (7,000 bytes), built to make a
  // parser that rescans for each marker quadratic.
  'hostile 7,000 bytes of open markers': '*a_'.repeat(2333),
};

for (const [name, text] of Object.entries(texts)) {
  describe(name, () => {
    bench('parseMarkup', () => {
      parseMarkup(text);
    });
    bench('@threema/threema-markup markify', () => {
      markify(text);
    });
  });
}
