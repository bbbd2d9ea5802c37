import { Breadcrumb, BreadcrumbItem } from '@carbon/react';
import { Link } from 'react-router';
import { joinSpacePath, spacePathSegments } from '../../../../contract/space-path';
import { folderUrl } from '../../../lib/folder-url';

export function FolderBreadcrumbs(props: { spaceId: string; spaceName: string; path: string }) {
  const segments = spacePathSegments(props.path);
  let at = '/';
  const crumbs = segments.map((name) => {
    at = joinSpacePath(at, name);
    return { name, path: at };
  });
  return (
    <Breadcrumb noTrailingSlash className="courier-files__breadcrumbs">
      <BreadcrumbItem>
        <Link to="/files">Spaces</Link>
      </BreadcrumbItem>
      <BreadcrumbItem isCurrentPage={segments.length === 0}>
        <Link to={folderUrl(props.spaceId, '/')}>{props.spaceName}</Link>
      </BreadcrumbItem>
      {crumbs.map((crumb, i) => (
        <BreadcrumbItem key={crumb.path} isCurrentPage={i === crumbs.length - 1}>
          <Link to={folderUrl(props.spaceId, crumb.path)}>{crumb.name}</Link>
        </BreadcrumbItem>
      ))}
    </Breadcrumb>
  );
}
