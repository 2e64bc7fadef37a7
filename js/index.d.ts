/** Options of `configure`. */
export interface ModuleOptions {
  /** Where to fetch goxmtp.wasm from. Defaults to the copy shipped beside this file. */
  wasmUrl?: string | URL;
  /** Run the module in a Web Worker (default true) or on the calling thread. */
  worker?: boolean;
}

/** What `version()` reports. */
export interface VersionInfo {
  /** The goxmtp library version, e.g. "0.1.0". */
  version: string;
  /** The RFC 9420 name of the MLS ciphersuite XMTP uses. */
  ciphersuite: string;
  /** Its numeric id (3). */
  ciphersuiteId: number;
}

/** Every failure goxmtp reports is an Error (or TypeError for bad arguments) with a stable code. */
export interface GoxmtpError extends Error {
  code: string;
}

export function configure(options?: ModuleOptions): void;
export function ready(): Promise<void>;
export function version(): Promise<VersionInfo>;
