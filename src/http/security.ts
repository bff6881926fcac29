import cors from 'cors';
import type { Express } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';

/**
 * Headers for every response: a strict Content-Security-Policy (no inline scripts, nothing from other
 * origins), no referrer (links carry keys in their fragment; browsers never send fragments, but there is no
 * reason to send the path either), HSTS behind https, and CORS only for the origins configured.
 */
export function applySecurity(app: Express, config: Pick<Config, 'corsOrigins' | 'publicUrl'>): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: config.publicUrl.startsWith('https:') ? { maxAge: 15552000 } : false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  if (config.corsOrigins.length > 0) {
    app.use(
      cors({
        origin: config.corsOrigins,
        exposedHeaders: [
          'Content-Disposition',
          'Content-Range',
          'Content-Length',
          'ETag',
          'Retry-After',
          'X-Sealroom-Expires-At',
          'X-Download-Token',
        ],
        maxAge: 600,
      }),
    );
  }
}
