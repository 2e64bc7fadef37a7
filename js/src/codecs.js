// The app's content codecs (ClientOptions.codecs): they decode messages of content types
// goxmtp does not decode itself. Both @xmtp/content-type-primitives shapes work: 2.x codecs
// take (content, registry) and 3.x codecs take (content); each is given both.
import { badArgument } from './check.js';

const keyOf = (t) => `${t.authorityId}/${t.typeId}:${t.versionMajor}`;

export class CodecRegistry {
  #codecs = new Map();

  constructor(codecs = []) {
    if (!Array.isArray(codecs)) throw badArgument('codecs must be an array');
    for (const [i, codec] of codecs.entries()) {
      if (typeof codec?.decode !== 'function' || typeof codec?.contentType?.typeId !== 'string') {
        throw badArgument(`codecs[${i}] must have a contentType and decode()`);
      }
      this.#codecs.set(keyOf(codec.contentType), codec);
    }
  }

  /** The codec of a content type (any minor version), as 2.x codecs ask their registry. */
  codecFor(contentType) {
    return this.#codecs.get(keyOf(contentType));
  }

  /**
   * Decodes an EncodedContent of a type goxmtp does not decode with the app's codec of its
   * type; undefined without one. A codec that throws gives undefined too: one bad message
   * must not break a listing or a stream; its fallback text still describes it.
   */
  decode(contentType, encodedContent) {
    const codec = this.codecFor(contentType);
    if (!codec) return undefined;
    try {
      return codec.decode(encodedContent, this);
    } catch {
      return undefined;
    }
  }
}
