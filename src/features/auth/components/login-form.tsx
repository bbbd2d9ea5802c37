import { Button, Form, InlineLoading, InlineNotification, PasswordInput, Stack, TextInput } from '@carbon/react';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { loginRequestSchema, type LoginRequest } from '../../../../contract/session';
import { useLogIn } from '../api/log-in';
import { describeLoginError } from '../lib/describe-login-error';

type FieldErrors = Partial<Record<keyof LoginRequest, string>>;

export interface LoginFormProps {
  /** Why the user is here (session expired, logged out), shown under the heading. */
  notice?: ReactNode;
}

/** On success the session lands in the query cache; the login route then redirects. */
export function LoginForm({ notice }: LoginFormProps) {
  const id = useId();
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const logIn = useLogIn();
  const failure = logIn.error ? describeLoginError(logIn.error) : null;

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (logIn.isPending) return;
    const data = new FormData(event.currentTarget);
    const parsed = loginRequestSchema.safeParse({
      username: data.get('username') ?? '',
      password: data.get('password') ?? '',
    });
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if ((field === 'username' || field === 'password') && !errors[field]) errors[field] = issue.message;
      }
      setFieldErrors(errors);
      logIn.reset();
      (errors.username ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setFieldErrors({});
    logIn.mutate(parsed.data, {
      onError: (error) => {
        const { focus } = describeLoginError(error);
        if (focus === 'password' && passwordRef.current) {
          // A wrong password is retyped, not edited.
          passwordRef.current.value = '';
          passwordRef.current.focus();
        } else {
          usernameRef.current?.focus();
        }
      },
    });
  };

  return (
    <Form aria-labelledby={`${id}-title`} onSubmit={handleSubmit} noValidate>
      <Stack gap={6}>
        <h1 id={`${id}-title`} className="courier-login__title">
          Log in to Courier
        </h1>
        {/* A failed attempt is the news now; why the user came here no longer is. */}
        {failure ? null : notice}
        {failure && (
          <InlineNotification
            kind="error"
            role="alert"
            lowContrast
            hideCloseButton
            title={failure.title}
            subtitle={failure.subtitle}
            className="courier-login__notice"
          />
        )}
        <TextInput
          id={`${id}-username`}
          ref={usernameRef}
          name="username"
          labelText="Username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          invalid={Boolean(fieldErrors.username)}
          invalidText={fieldErrors.username}
          // Carbon points aria-errormessage at the message; describedby makes screen readers say it (axe).
          aria-describedby={fieldErrors.username ? `${id}-username-error-msg` : undefined}
          onChange={() => fieldErrors.username && setFieldErrors((e) => ({ ...e, username: undefined }))}
        />
        <PasswordInput
          id={`${id}-password`}
          ref={passwordRef}
          name="password"
          labelText="Password"
          autoComplete="current-password"
          invalid={Boolean(fieldErrors.password)}
          invalidText={fieldErrors.password}
          // Carbon points aria-errormessage at the message; describedby makes screen readers say it (axe).
          aria-describedby={fieldErrors.password ? `${id}-password-error-msg` : undefined}
          onChange={() => fieldErrors.password && setFieldErrors((e) => ({ ...e, password: undefined }))}
        />
        <div className="courier-login__actions">
          {logIn.isPending ? (
            <InlineLoading description="Logging in…" status="active" />
          ) : (
            <Button type="submit" className="courier-login__submit">
              Log in
            </Button>
          )}
        </div>
      </Stack>
    </Form>
  );
}
