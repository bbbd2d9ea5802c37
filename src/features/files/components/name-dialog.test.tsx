// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api-error';
import { describeFileError } from '../lib/describe-file-error';
import { buttonNamed, click, render, typeInto, type Rendered } from '../../../testing/render';
import { NameDialog, type NameDialogProps } from './name-dialog';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

function dialog(more: Partial<NameDialogProps> = {}) {
  const props: NameDialogProps = {
    title: 'New folder',
    submitLabel: 'Create',
    pending: false,
    error: null,
    onSubmit: vi.fn(),
    onClose: vi.fn(),
    ...more,
  };
  view = render(<NameDialog {...props} />);
  const input = view.container.ownerDocument.querySelector<HTMLInputElement>('#courier-name-dialog-input')!;
  return { props, input, body: view.container.ownerDocument.body };
}

describe('NameDialog', () => {
  it('refuses a blank name with a message, without calling the server', () => {
    const { props, input, body } = dialog();
    typeInto(input, '   ');
    click(buttonNamed(body, 'Create'));
    expect(props.onSubmit).not.toHaveBeenCalled();
    expect(body.textContent).toContain('Enter a name');
  });

  it('refuses "/" and a 300-character name with their reasons, without calling the server', () => {
    const { props, input, body } = dialog();
    typeInto(input, 'a/b');
    click(buttonNamed(body, 'Create'));
    expect(body.textContent).toContain('cannot contain "/"');
    typeInto(input, 'n'.repeat(300));
    click(buttonNamed(body, 'Create'));
    expect(body.textContent).toContain('too long: 300 bytes');
    expect(props.onSubmit).not.toHaveBeenCalled();
  });

  it('submits the name trimmed', () => {
    const { props, input, body } = dialog();
    typeInto(input, '  Reports 2025 ');
    click(buttonNamed(body, 'Create'));
    expect(props.onSubmit).toHaveBeenCalledWith('Reports 2025');
  });

  it('starts from the current name when renaming, and cannot be submitted again while saving', () => {
    const { props, input, body } = dialog({ title: 'Rename a.txt', submitLabel: 'Rename', initialName: 'a.txt', pending: true });
    expect(input.value).toBe('a.txt');
    expect(buttonNamed(body, 'Saving…').disabled).toBe(true);
    expect(props.onSubmit).not.toHaveBeenCalled();
  });

  it("shows the server's refusal", () => {
    const error = new ApiError({ code: 'NAME_TAKEN', message: 'Something named "a" is already here.', status: 409 });
    const { body } = dialog({ error });
    expect(body.textContent).toContain('Not saved');
    expect(body.textContent).toContain(describeFileError(error));
  });
});
