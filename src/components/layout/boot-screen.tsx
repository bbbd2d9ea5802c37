import { ProductName } from './product-name';

/**
 * What shows while the first chunk or the session answer is on its way. It draws the header
 * bar where the real one will be, so the page does not jump when the app appears, and it stays
 * free of Carbon components so the first chunk stays small.
 */
export function BootScreen() {
  return (
    <div className="courier-boot" aria-busy="true">
      <div className="courier-boot__header">
        <span className="courier-boot__name">
          <ProductName />
        </span>
      </div>
      <p className="courier-boot__status" role="status">
        Loading Courier…
      </p>
    </div>
  );
}
