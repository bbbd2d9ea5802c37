export function FilesRoute() {
  return (
    <section className="courier-page" aria-labelledby="files-title">
      <title>Files · Courier</title>
      <h1 id="files-title" className="courier-page__title">
        Files
      </h1>
      <p className="courier-page__lead">
        This is where you will browse the folders shared with you, drop files and folders on them to
        upload, and pick items to download, all carried by IBM Aspera.
      </p>
    </section>
  );
}
