// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../../../contract/roles';
import { buttonNamed, buttonNames, click, render, type Rendered } from '../../../testing/render';
import { FolderToolbar, type FolderToolbarProps } from './folder-toolbar';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

function toolbar(role: Role | null, selectedCount: number, more: Partial<FolderToolbarProps> = {}) {
  const props: FolderToolbarProps = {
    role,
    selectedCount,
    onPick: vi.fn(() => false),
    onPicked: vi.fn(),
    onNewFolder: vi.fn(),
    onDownload: vi.fn(),
    onRename: vi.fn(),
    onDelete: vi.fn(),
    ...more,
  };
  view = render(<FolderToolbar {...props} />);
  return { props, container: view.container };
}

describe('FolderToolbar', () => {
  it('shows a viewer only Download, and only with a selection', () => {
    expect(buttonNames(toolbar('viewer', 0).container)).toEqual([]);
    view?.unmount();
    expect(buttonNames(toolbar('viewer', 2).container)).toEqual(['Download']);
  });

  it('lets a contributor upload, create folders and rename one item, but not delete', () => {
    expect(buttonNames(toolbar('contributor', 0).container)).toEqual(['Upload files', 'Upload folder', 'New folder']);
    view?.unmount();
    expect(buttonNames(toolbar('contributor', 1).container)).toEqual(['Upload files', 'Upload folder', 'New folder', 'Download', 'Rename']);
    view?.unmount();
    expect(buttonNames(toolbar('contributor', 2).container)).not.toContain('Rename');
  });

  it('lets a manager delete, and shows nothing while the role is unknown', () => {
    const { container } = toolbar('manager', 3);
    expect(buttonNames(container)).toEqual(['Upload files', 'Upload folder', 'New folder', 'Download', 'Delete']);
    expect(container.textContent).toContain('3 selected');
    view?.unmount();
    expect(buttonNames(toolbar(null, 3).container)).toEqual([]);
  });

  it("opens the browser's file dialog only when the caller did not open its own", () => {
    const { props, container } = toolbar('contributor', 0, { onPick: vi.fn((what: 'files' | 'folder') => what === 'folder') });
    const filesInput = container.querySelector<HTMLInputElement>('[data-testid="upload-files-input"]')!;
    const folderInput = container.querySelector<HTMLInputElement>('[data-testid="upload-folder-input"]')!;
    const filesClicked = vi.fn();
    const folderClicked = vi.fn();
    filesInput.addEventListener('click', filesClicked);
    folderInput.addEventListener('click', folderClicked);

    click(buttonNamed(container, 'Upload files'));
    click(buttonNamed(container, 'Upload folder'));
    expect(props.onPick).toHaveBeenCalledTimes(2);
    expect(filesClicked).toHaveBeenCalledTimes(1);
    expect(folderClicked).not.toHaveBeenCalled();
  });

  it("calls back for each action, and shows the route's own actions after them", () => {
    const { props, container } = toolbar('manager', 1, { actions: <button type="button">Share</button> });
    for (const name of ['New folder', 'Download', 'Rename', 'Delete']) click(buttonNamed(container, name));
    expect(props.onNewFolder).toHaveBeenCalledOnce();
    expect(props.onDownload).toHaveBeenCalledOnce();
    expect(props.onRename).toHaveBeenCalledOnce();
    expect(props.onDelete).toHaveBeenCalledOnce();
    expect(buttonNames(container).at(-1)).toBe('Share');
  });
});
