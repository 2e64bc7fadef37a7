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
   * Decodes a message goxmtp left undecoded (it carries encodedContent) with the app's codec
   * of its type. A codec that throws leaves content undefined: one bad message must not
   * break a listing or a stream; the fallback text still describes it.
   */
  decode(message) {
    if (message.content !== undefined || !message.encodedContent) return message;
    const codec = this.codecFor(message.contentType);
    if (codec) {
      try {
        message.content = codec.decode(message.encodedContent, this);
      } catch {
        // left undefined, see above
      }
    }
    return message;
  }
}
