/**
 * The product's name as headers show it. Courier is not an IBM product, so it is named alone and
 * "for IBM Aspera" says what it works with, never "IBM Aspera Courier". Free of Carbon: the boot
 * screen draws it too.
 */
export function ProductName() {
  return (
    <span className="courier-product-name">
      <span className="courier-product-name__name">Courier</span> <span className="courier-product-name__relation">for IBM Aspera</span>
    </span>
  );
}
