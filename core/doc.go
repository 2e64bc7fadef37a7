// Package core is the XMTP V3 group chat client: identity, key packages, conversations,
// groups, permissions, messages, delivery status, sync, streams, consent and content types,
// on top of mls/ and the XMTP wire protocol in proto/.
//
// core knows XMTP but not the browser: no package under core/ imports syscall/js. Storage and
// the network are interfaces; the in-memory, SQLite and IndexedDB stores and the connect-go
// and fetch transports plug into them. Packages here must compile for js/wasm, except
// core/connectapi and core/sqlitestore, which the wasm never links.
package core
