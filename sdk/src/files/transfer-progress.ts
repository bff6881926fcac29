/** Progress reports of uploads and downloads, counted in plaintext bytes. */

export interface TransferProgress {
  /**
   * `encrypting`: building the encrypted body before sending (browsers); `uploading`: bytes handed to the
   * connection (in Node, encryption happens as the upload goes); `downloading`: plaintext bytes decrypted.
   */
  phase: 'encrypting' | 'uploading' | 'downloading';
  /** Plaintext bytes done. */
  loaded: number;
  /** Plaintext bytes in all. */
  total: number;
}

export type ProgressListener = (progress: TransferProgress) => void;

/** A pass-through stream that reports the bytes flowing through it. */
export function progressCounter(
  phase: TransferProgress['phase'],
  total: number,
  onProgress?: ProgressListener,
): TransformStream<Uint8Array, Uint8Array> {
  let loaded = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      controller.enqueue(chunk);
      onProgress?.({ phase, loaded, total });
    },
  });
}
