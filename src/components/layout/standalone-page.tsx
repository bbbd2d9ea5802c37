import { Header, HeaderName, Theme } from '@carbon/react';
import type { ReactNode } from 'react';
import { ProductName } from './product-name';

export interface StandalonePageProps {
  /** The document title. */
  title: string;
  /** The main region's own class, after `courier-standalone__main`. */
  mainClassName: string;
  mainId?: string;
  /** The header's product name; by default a link to `/`. */
  brand?: ReactNode;
  children: ReactNode;
}

/** A page outside the logged-in shell (a share link, a package link, a file request): header, main. */
export function StandalonePage({ title, mainClassName, mainId, brand, children }: StandalonePageProps) {
  return (
    <div className="courier-standalone">
      <title>{title}</title>
      <Theme theme="g100">
        <Header aria-label="Courier">
          {brand ?? (
            <HeaderName href="/" prefix="">
              <ProductName />
            </HeaderName>
          )}
        </Header>
      </Theme>
      <main className={`courier-standalone__main ${mainClassName}`} id={mainId}>
        {children}
      </main>
    </div>
  );
}
