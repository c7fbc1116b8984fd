import type { Context } from 'koa';
import { invalidField, problem } from './problem.js';

/**
 * The request body as JSON, read within `maxBytes`: a declared length over it is refused before
 * a byte is read, and a chunked body as soon as it passes it.
 */
export async function readJsonBody(ctx: Context, maxBytes: number): Promise<unknown> {
  if (!/^application\/json\s*(;|$)/i.test(ctx.get('Content-Type'))) {
    throw problem('unsupported-media-type', 'send the body as Content-Type: application/json');
  }
  // The rest of the body is never read, so this connection cannot carry another request.
  const tooLarge = () =>
    problem('body-too-large', `the body is larger than ${maxBytes.toLocaleString('en')} bytes`, {}, { Connection: 'close' });
  if (Number(ctx.get('Content-Length') || '0') > maxBytes) throw tooLarge();
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      ctx.req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      stop();
      // The rest flows away unread while the 413 goes out; the server's request timeout bounds it.
      ctx.req.resume();
      reject(tooLarge());
    }
    function onEnd(): void {
      stop();
      resolve(Buffer.concat(chunks));
    }
    function onError(error: Error): void {
      stop();
      reject(error);
    }
    ctx.req.on('data', onData).on('end', onEnd).on('error', onError);
  });
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw invalidField('body', 'is not valid JSON');
  }
}
