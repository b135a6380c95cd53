import { describe, expect, it } from 'vitest';
import { qdEmojiRenderSize } from './open-experiment.js';

describe('qdEmojiRenderSize', () => {
  it('renders QD-Emoji at the backbone input size, within the 32-1024 px qd-emoji renders', () => {
    expect([112, 224, 299, 16, 4096, 111.6].map(qdEmojiRenderSize)).toEqual([
      112, 224, 299, 32, 1024, 112,
    ]);
    // No size given: qd-emoji's own default (224 px).
    expect(qdEmojiRenderSize(undefined)).toBeUndefined();
  });
});
