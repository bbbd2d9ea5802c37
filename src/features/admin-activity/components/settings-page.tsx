import { Button, InlineNotification, NumberInput, Stack, Tag } from '@carbon/react';
import { useState } from 'react';
import type { RuntimeSetting } from '../../../../contract/runtime-settings';
import { useAdminSettings, useUpdateSetting } from '../api/settings';
import { AdminError } from './admin-error';

function SettingForm({ setting }: { setting: RuntimeSetting }) {
  const [draft, setDraft] = useState(String(setting.value));
  const update = useUpdateSetting();
  const value = Number(draft);
  const valid = draft.trim() !== '' && Number.isInteger(value) && value >= setting.min && value <= setting.max;
  const inputId = `setting-${setting.key}`;
  return (
    <form
      className="courier-admin-setting"
      aria-labelledby={`${inputId}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) update.mutate({ key: setting.key, value });
      }}
    >
      <Stack gap={4}>
        <h2 id={`${inputId}-title`} className="courier-admin-setting__title">
          {setting.label} {setting.overridden ? <Tag type="blue">Changed</Tag> : <Tag type="gray">Default</Tag>}
        </h2>
        <p>{setting.description}</p>
        <dl className="courier-admin-setting__values">
          <dt>Environment default</dt>
          <dd>
            {setting.defaultValue} (<code>{setting.env}</code>)
          </dd>
          <dt>In use</dt>
          <dd data-testid={`${setting.key}-value`}>{setting.value}</dd>
          {setting.updatedAt ? (
            <>
              <dt>Changed</dt>
              <dd>
                {new Date(setting.updatedAt).toLocaleString()}
                {setting.updatedBy ? ` by ${setting.updatedBy}` : ''}
              </dd>
            </>
          ) : null}
        </dl>
        <NumberInput
          id={inputId}
          label={`New value, ${setting.min} to ${setting.max} seconds`}
          min={setting.min}
          max={setting.max}
          step={60}
          value={draft}
          allowEmpty
          invalid={!valid}
          invalidText={`Enter a whole number of seconds from ${setting.min} to ${setting.max}.`}
          onChange={(_event, { value: next }) => setDraft(String(next))}
        />
        {update.isError ? (
          <InlineNotification kind="error" role="alert" lowContrast hideCloseButton title="Not saved." subtitle={update.error.message} />
        ) : null}
        {update.isSuccess ? (
          <InlineNotification
            kind="success"
            role="status"
            lowContrast
            hideCloseButton
            title="Saved."
            subtitle="In use from the next request."
          />
        ) : null}
        <div className="courier-admin-setting__actions">
          <Button type="submit" size="md" disabled={!valid || update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </Button>
          {setting.overridden ? (
            <Button
              kind="tertiary"
              size="md"
              disabled={update.isPending}
              onClick={() => {
                setDraft(String(setting.defaultValue));
                update.mutate({ key: setting.key, value: null });
              }}
            >
              Use the default
            </Button>
          ) : null}
        </div>
      </Stack>
    </form>
  );
}

/** Settings an admin may change while Courier runs, each over its environment default. */
export function SettingsPage() {
  const settings = useAdminSettings();
  return (
    <section className="courier-page" aria-labelledby="admin-settings-title">
      <title>Settings · Admin · Courier</title>
      <h1 id="admin-settings-title" className="courier-page__title">
        Settings
      </h1>
      {settings.isPending ? <p className="courier-files-state">Loading the settings…</p> : null}
      {settings.isError ? <AdminError what="the settings" error={settings.error} onRetry={() => void settings.refetch()} /> : null}
      {settings.data?.map((setting) => (
        <SettingForm key={setting.key} setting={setting} />
      ))}
    </section>
  );
}
