// The chosen template's fields in an add-entry form (the setup key and link tabs): the choice,
// the values typed, their checks and server refusals, and where they go in the request.
import { useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CreateEntryRequest, Template, TemplateField } from "../../../../src/contract/entries.js";
import { ApiError } from "../../ui/api-client.js";
import { TemplateFieldInput } from "./template-field-input.js";
import { TemplateSelect } from "./template-select.js";
import { checkTemplateValues, seedNeedOf, templateFieldOfProblem, typedFieldsOf, withTemplateValues, type TemplateValues } from "./template-values.js";

export interface TemplateFields {
  readonly template: Template | undefined;
  /** The template choice, for the top of the form. */
  readonly select: ReactNode;
  /** The input of one typed (non-OTP) field of the template. */
  readonly input: (field: TemplateField) => ReactNode;
  /** The inputs of all its typed fields, in order, for forms whose seed comes from elsewhere. */
  readonly inputs: ReactNode;
  /** True when a field needs fixing before sending. */
  readonly hasProblems: boolean;
  /** The first field, in the template's order, that needs fixing. */
  readonly firstProblem: TemplateField | undefined;
  readonly focus: (field: TemplateField) => void;
  /** Adds the template and its values to a request. */
  readonly apply: (request: CreateEntryRequest) => CreateEntryRequest;
  /** Shows a server refusal beside the field or choice it is about; false when it is about neither. */
  readonly placeServerProblem: (error: unknown, message: string) => boolean;
}

/**
 * @param templates undefined while loading (the default template is offered meanwhile)
 * @param hasTried whether the person has tried to send the form, so checks show
 * @param isOffered which templates fit the form (the link tab needs one with an OTP seed)
 */
export function useTemplateFields(templates: readonly Template[] | undefined, hasTried: boolean, isOffered: (template: Template) => boolean = () => true): TemplateFields {
  const { t } = useTranslation();
  const [templateId, setTemplateId] = useState<string>();
  const [values, setValues] = useState<TemplateValues>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string | undefined>>({});
  const [templateError, setTemplateError] = useState<string>();
  const refs = useRef(new Map<string, HTMLElement>());

  const offered = templates?.filter(isOffered);
  const template = templateId === undefined ? undefined : offered?.find((candidate) => candidate.id === templateId);
  const problems = template === undefined ? {} : checkTemplateValues(template, values);
  const errorOf = (key: string): string | undefined => {
    const problem = problems[key];
    if (hasTried && problem !== undefined) return t(`entries.add.template.errors.${problem}`);
    return serverErrors[key];
  };

  const input = (field: TemplateField): ReactNode =>
    template === undefined ? null : (
      <TemplateFieldInput
        key={field.key}
        template={template}
        field={field}
        value={values[field.key] ?? ""}
        error={errorOf(field.key)}
        register={(element) => {
          if (element === null) refs.current.delete(field.key);
          else refs.current.set(field.key, element);
        }}
        onChange={(value) => {
          setValues((current) => ({ ...current, [field.key]: value }));
          setServerErrors((current) => ({ ...current, [field.key]: undefined }));
        }}
      />
    );

  return {
    template,
    select: (
      <TemplateSelect
        templates={offered}
        value={templateId}
        error={templateError}
        onChange={(next) => {
          setTemplateId(next);
          setTemplateError(undefined);
          setServerErrors({});
        }}
      />
    ),
    input,
    inputs: template === undefined ? null : typedFieldsOf(template).map(input),
    hasProblems: Object.keys(problems).length > 0,
    firstProblem: template?.fields.find((field) => problems[field.key] !== undefined),
    focus: (field) => refs.current.get(field.key)?.focus(),
    apply: (request) => (template === undefined ? request : withTemplateValues(request, template, values)),
    placeServerProblem(error, message) {
      const field = error instanceof ApiError ? error.field : undefined;
      const key = template === undefined ? undefined : templateFieldOfProblem(template, field);
      if (key !== undefined) {
        setServerErrors({ [key]: message });
        refs.current.get(key)?.focus();
        return true;
      }
      if (field === "templateId") {
        setTemplateError(message);
        return true;
      }
      return false;
    },
  };
}

/** Templates a link can fill: those with an OTP seed field. */
export const takesSeed = (template: Template): boolean => seedNeedOf(template) !== "none";
