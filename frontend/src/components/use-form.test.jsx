import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { ApiError } from "../api/http.js";
import { TextField } from "./text-field.jsx";
import { useForm } from "./use-form.js";

function validate({ name, email }) {
  const errors = {};
  if (!name) errors.name = "Enter a name.";
  if (!email.includes("@")) errors.email = "Enter an email address.";
  return errors;
}

// A small form built like the app's forms, so the tests see what a user would see.
function TestForm({ send, ...options }) {
  const { formError, pending, done, submit, field } = useForm({
    initial: { name: "", email: "" },
    fields: ["name", "email"],
    validate,
    ...options,
  });
  return (
    <>
      {done && <p role="status">Saved.</p>}
      {formError && <p role="alert">{formError}</p>}
      <form onSubmit={(event) => submit(event, send)} noValidate>
        <TextField label="Name" {...field("name")} />
        <TextField label="Email" {...field("email")} />
        <button type="submit" disabled={pending}>
          {pending ? "Saving..." : "Save"}
        </button>
      </form>
    </>
  );
}

function renderForm(props) {
  const user = userEvent.setup();
  const send = props.send ?? vi.fn(async () => {});
  render(<TestForm {...props} send={send} />);
  const name = screen.getByRole("textbox", { name: "Name" });
  const email = screen.getByRole("textbox", { name: "Email" });
  const save = () => user.click(screen.getByRole("button", { name: "Save" }));
  return { user, send, name, email, save };
}

describe("useForm", () => {
  test("invalid values are flagged and focus goes to the first one; nothing is sent", async () => {
    const { user, send, name, email, save } = renderForm({});

    await user.type(name, "Ada");
    await save();

    expect(name).not.toHaveAttribute("aria-invalid");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("Enter an email address.");
    expect(email).toHaveFocus();
    expect(send).not.toHaveBeenCalled();
  });

  test("with recheck, a fixed field loses its message as you type", async () => {
    const { user, email, save } = renderForm({ recheck: true });

    await save();
    await user.type(email, "ada@example.org");

    expect(email).not.toHaveAttribute("aria-invalid");
    expect(screen.queryByText("Enter an email address.")).toBeNull();
  });

  test("without recheck, the message stays until the next submit", async () => {
    const { user, email, save } = renderForm({});

    await save();
    await user.type(email, "ada@example.org");

    expect(email).toHaveAccessibleDescription("Enter an email address.");
  });

  test("sends the values, says 'Saving...' meanwhile, then reports success until the next change", async () => {
    let finish;
    const send = vi.fn(() => new Promise((resolve) => (finish = resolve)));
    const { user, name, email, save } = renderForm({ send });

    await user.type(name, "Ada");
    await user.type(email, "ada@example.org");
    await save();

    expect(send).toHaveBeenCalledWith({
      name: "Ada",
      email: "ada@example.org",
    });
    expect(screen.getByRole("button", { name: "Saving..." })).toBeDisabled();

    finish();
    expect(await screen.findByRole("status")).toHaveTextContent("Saved.");
    expect(screen.getByRole("button", { name: "Save" })).toBeEnabled();

    await user.type(name, "!");
    expect(screen.queryByRole("status")).toBeNull();
  });

  test("the server's per-field errors go on their fields, without moving focus by default", async () => {
    const send = vi.fn(async () => {
      throw new ApiError(400, "Invalid", {
        errors: { email: ["Already used.", "Ask for a reset."] },
      });
    });
    const { user, name, email, save } = renderForm({ send });

    await user.type(name, "Ada");
    await user.type(email, "ada@example.org");
    await save();

    expect(
      await screen.findByText("Already used. Ask for a reset."),
    ).toBeInTheDocument();
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("Already used. Ask for a reset.");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("button", { name: "Save" })).toHaveFocus();
  });

  test("with focusServerErrors, focus moves to the field the server rejected", async () => {
    const send = vi.fn(async () => {
      throw new ApiError(400, "Invalid", {
        errors: { email: "Already used." },
      });
    });
    const { user, name, email, save } = renderForm({
      send,
      focusServerErrors: true,
    });

    await user.type(name, "Ada");
    await user.type(email, "ada@example.org");
    await save();

    expect(await screen.findByText("Already used.")).toBeInTheDocument();
    expect(email).toHaveAccessibleDescription("Already used.");
    expect(email).toHaveFocus();
  });

  test("an error with no field to point at is shown as an alert for the whole form", async () => {
    const send = vi.fn(async () => {
      throw new ApiError(409, "Name already taken");
    });
    const { user, name, email, save } = renderForm({ send });

    await user.type(name, "Ada");
    await user.type(email, "ada@example.org");
    await save();

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Name already taken",
    );
    expect(name).not.toHaveAttribute("aria-invalid");
    expect(screen.getByRole("button", { name: "Save" })).toBeEnabled();
  });

  test("failMessage stands in for an error without a msg", async () => {
    const send = vi.fn(async () => {
      throw new Error("storage is full");
    });
    const { user, name, email, save } = renderForm({
      send,
      failMessage: "Saving failed.",
    });

    await user.type(name, "Ada");
    await user.type(email, "ada@example.org");
    await save();

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Saving failed.",
    );
  });
});
