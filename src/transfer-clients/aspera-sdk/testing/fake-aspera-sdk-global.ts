/**
 * Entry of the plain-JS fake served at the configured SDK URL in e2e tests: like the real bundle,
 * loading it defines `window.asperaSdk`. Options come from `window.__fakeAsperaSdkOptions` (set it
 * with `page.addInitScript` before the page loads); the instance is also `window.__fakeAsperaSdk`.
 */
import { FakeAsperaSdk, type FakeAsperaSdkOptions } from './fake-aspera-sdk';

const w = window as unknown as { asperaSdk?: unknown; __fakeAsperaSdk?: FakeAsperaSdk; __fakeAsperaSdkOptions?: FakeAsperaSdkOptions };
const fake = new FakeAsperaSdk(w.__fakeAsperaSdkOptions ?? {});
w.asperaSdk = fake;
w.__fakeAsperaSdk = fake;
