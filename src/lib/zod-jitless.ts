/**
 * zod compiles object parsers with `new Function` when the page allows it, and finds out by trying
 * once as its first object schema is built. The portal's Content-Security-Policy allows no eval
 * (`script-src 'self'`, docs/aspera-sdk.md §13), so the try only ever fails, and the browser reports
 * it as a violation. Turned off before any schema is built: main.tsx imports this first.
 */
import { config } from 'zod';

config({ jitless: true });
