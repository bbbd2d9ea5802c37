export function TransfersRoute() {
  return (
    <section className="courier-page" aria-labelledby="transfers-title">
      <title>Transfers · Courier</title>
      <h1 id="transfers-title" className="courier-page__title">
        Transfers
      </h1>
      <p className="courier-page__lead">
        This is where your uploads and downloads will appear, with live progress while they run and
        their history afterwards, on every device you log in from.
      </p>
    </section>
  );
}
