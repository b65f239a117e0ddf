import {
  ApplicationCommandOptionType,
  MessageFlags,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { zipSync } from "fflate";
import { UserError, type BotContext, type ButtonHandler, type ChatCommand, type ModalHandler } from "../src/discord/command.js";
import { draftModal, draftPreview, LIBRARY_PREFIX, listPage, removeConfirmation } from "../src/discord/library-views.js";
import { escapeText, inCode, toEdit } from "../src/discord/render.js";
import { respond } from "../src/discord/respond.js";
import { applyDetails, draftFromAttachment, draftFromUrl, DraftSourceError, type LibraryDraft } from "../src/library/drafts.js";
import { DraftError, LibraryLimitError, type ServerLibraries, type StoredArticle } from "../src/library/server-libraries.js";
import { serverCommand } from "./options.js";

const Sub = ApplicationCommandOptionType.Subcommand;

const data = {
  name: "library",
  ...serverCommand,
  description: "This server's own articles: add one from a link or a file, list, remove, export",
  options: [
    {
      type: Sub,
      name: "add",
      description: "Add an article from its link or an attached file (you see a preview first)",
      options: [
        { type: ApplicationCommandOptionType.String, name: "url", description: "The article's web address (http or https)", max_length: 2000 },
        { type: ApplicationCommandOptionType.Attachment, name: "file", description: "An .html, .txt or .md file of the article" },
      ],
    },
    {
      type: Sub,
      name: "list",
      description: "The articles this server added",
      options: [{ type: ApplicationCommandOptionType.Integer, name: "page", description: "Page number", min_value: 1 }],
    },
    {
      type: Sub,
      name: "remove",
      description: "Remove an article this server added (you confirm first)",
      options: [{ type: ApplicationCommandOptionType.String, name: "article", description: "The article to remove", required: true, autocomplete: true, max_length: 100 }],
    },
    { type: Sub, name: "export", description: "Download this server's articles as corpus files (a zip)" },
    {
      type: Sub,
      name: "settings",
      description: "Let a role add and remove articles (Manage Server can always)",
      options: [{ type: ApplicationCommandOptionType.Role, name: "editors", description: "The role that may add and remove; leave out for Manage Server only" }],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Who may change a server's library: Manage Server, or the role /library settings named. */
async function requireEditor(interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction, libraries: ServerLibraries): Promise<string> {
  const guildId = interaction.guildId;
  if (guildId === null) throw new UserError("A library belongs to a server: use /library in one.");
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return guildId;
  const editorRole = await libraries.store.editorRole(guildId);
  const member = interaction.member;
  const roles = member ? (Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()]) : [];
  if (editorRole !== null && roles.includes(editorRole)) return guildId;
  throw new UserError(
    editorRole === null
      ? "Only members with **Manage Server** can change this server's library."
      : `Only members with **Manage Server** or the <@&${editorRole}> role can change this server's library.`,
  );
}

function librariesOf(ctx: BotContext): ServerLibraries {
  if (!ctx.libraries) throw new UserError("Server libraries aren't available: this bot runs without a database.");
  return ctx.libraries;
}

async function add(interaction: ChatInputCommandInteraction, ctx: BotContext, libraries: ServerLibraries): Promise<void> {
  await requireEditor(interaction, libraries);
  const url = interaction.options.getString("url")?.trim();
  const file = interaction.options.getAttachment("file");
  if ((url ? 1 : 0) + (file ? 1 : 0) !== 1) throw new UserError("Give either a `url` or a `file` (one of them), e.g. `/library add url: https://…`.");
  // Fetching and extracting can take seconds: a private "thinking…" first.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  let draft: LibraryDraft;
  try {
    draft = url ? await draftFromUrl(url, libraries.fetchLimits) : await draftFromAttachment({ name: file?.name ?? "", url: file?.url ?? "", size: file?.size ?? 0 }, libraries.fetchLimits);
  } catch (error) {
    if (error instanceof DraftSourceError) throw new UserError(`I couldn't add that: ${escapeText(error.message)}`);
    throw error;
  }
  const stateId = ctx.state.put(interaction.user.id, draft);
  await respond(interaction, draftPreview(draft, stateId));
}

async function remove(interaction: ChatInputCommandInteraction, ctx: BotContext, libraries: ServerLibraries): Promise<void> {
  const guildId = await requireEditor(interaction, libraries);
  const wanted = interaction.options.getString("article", true).trim().toLowerCase();
  const articles = await libraries.list(guildId);
  const article = articles.find((a) => a.articleId === wanted) ?? articles.find((a) => a.title.toLowerCase() === wanted);
  if (!article) {
    const shared = ctx.engine.source.articles.some((a) => a.id === wanted);
    throw new UserError(
      shared
        ? `\`${inCode(wanted)}\` is in the shared corpus, which the bot's host manages; /library remove only removes articles this server added.`
        : `This server's library has no article \`${inCode(wanted)}\`. Pick one from the suggestions (see /library list).`,
    );
  }
  const stateId = ctx.state.put(interaction.user.id, article);
  await respond(interaction, removeConfirmation(article, stateId));
}

async function exportLibrary(interaction: ChatInputCommandInteraction, libraries: ServerLibraries, guildId: string): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const files = await libraries.export(guildId);
  if (files.length === 0) throw new UserError("This server hasn't added any articles yet, so there is nothing to export.");
  const zip = Buffer.from(zipSync(Object.fromEntries(files.map((f) => [f.file, Buffer.from(f.content, "utf8")]))));
  if (zip.length > interaction.attachmentSizeLimit) {
    throw new UserError(`The export is ${(zip.length / 1_000_000).toFixed(1)} MB, more than this server may upload. The bot's host can export it with \`npm run cli -- library export\`.`);
  }
  await respond(interaction, {
    content: `${files.length} article${files.length === 1 ? "" : "s"} as corpus files (front matter + body), ready for a corpus folder.`,
    files: [{ name: `library-${guildId}.zip`, data: zip }],
    ephemeral: true,
  });
}

export const libraryCommand: ChatCommand<typeof data> = {
  data,
  async execute(interaction, _args, ctx) {
    if (!interaction.inGuild()) throw new UserError("A library belongs to a server: use /library in one.");
    const libraries = librariesOf(ctx);
    const guildId = interaction.guildId;
    switch (interaction.options.getSubcommand(true)) {
      case "add":
        return add(interaction, ctx, libraries);
      case "list": {
        const articles = await libraries.list(guildId);
        return respond(interaction, listPage(articles, (interaction.options.getInteger("page") ?? 1) - 1, await libraries.store.usage(guildId), libraries.limits));
      }
      case "remove":
        return remove(interaction, ctx, libraries);
      case "export":
        return exportLibrary(interaction, libraries, guildId);
      case "settings": {
        if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) throw new UserError("Only members with **Manage Server** can choose who edits the library.");
        const roleValue = interaction.options.get("editors")?.value;
        const roleId = roleValue === undefined ? null : String(roleValue);
        if (roleId === guildId) throw new UserError("Pick a role, not @everyone: everyone adding articles would make the library anyone's.");
        await libraries.store.setEditorRole(guildId, roleId, Date.now());
        return respond(interaction, {
          content: roleId ? `Members with <@&${roleId}> (and Manage Server) can now add and remove articles.` : "Only members with Manage Server can add and remove articles now.",
          ephemeral: true,
        });
      }
      default:
        throw new UserError("Unknown /library subcommand.");
    }
  },
  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const guildId = interaction.guildId;
    const articles: StoredArticle[] = guildId && ctx.libraries ? await ctx.libraries.list(guildId) : [];
    const choices = articles
      .filter((a) => a.articleId.includes(typed) || a.title.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((a) => ({ name: a.title.length > 100 ? `${a.title.slice(0, 99)}…` : a.title, value: a.articleId.slice(0, 100) }));
    await interaction.respond(choices);
  },
};

/** A draft or removal kept behind the buttons, for the member who started it only. */
function ownState<T>(interaction: ButtonInteraction | ModalSubmitInteraction, ctx: BotContext, stateId: string): T {
  const stored = ctx.state.get<T>(stateId);
  if (!stored) throw new UserError("This preview has expired (after 15 minutes, or a restart): run /library again.");
  if (stored.ownerId !== interaction.user.id) throw new UserError("Only the member who started this can use these buttons.");
  return stored.value;
}

/** The preview's Add / Edit details / Cancel, and the removal's Remove / Keep, and list paging. */
export const libraryButtons: ButtonHandler = {
  prefix: LIBRARY_PREFIX,
  async execute(interaction, [action, key = ""], ctx) {
    const libraries = librariesOf(ctx);
    switch (action) {
      case "page": {
        const guildId = interaction.guildId ?? "";
        return void (await interaction.update(toEdit(listPage(await libraries.list(guildId), Number(key), await libraries.store.usage(guildId), libraries.limits))));
      }
      case "cancel":
        ownState<LibraryDraft>(interaction, ctx, key);
        ctx.state.delete(key);
        return void (await interaction.update(toEdit({ content: "Cancelled: nothing was added.", embeds: [], components: [] })));
      case "keep":
        return void (await interaction.update(toEdit({ content: "Kept: nothing was removed.", components: [] })));
      case "edit":
        return interaction.showModal(draftModal(ownState<LibraryDraft>(interaction, ctx, key), key));
      case "add": {
        const draft = ownState<LibraryDraft>(interaction, ctx, key);
        const guildId = await requireEditor(interaction, libraries);
        await interaction.deferUpdate();
        let article;
        try {
          article = await libraries.add(guildId, draft, interaction.user.id);
        } catch (error) {
          if (error instanceof LibraryLimitError || error instanceof DraftError) throw new UserError(`I couldn't add it: ${escapeText(error.message)}`);
          throw error;
        }
        ctx.state.delete(key);
        // Build the server's index now, so the first /quote after this does not wait for it.
        await libraries.view(guildId);
        await interaction.editReply(
          toEdit({
            content: `Added **${escapeText(article.title)}** as \`${inCode(article.id)}\`. Quote it now, in this server only: \`/quote article:${inCode(article.id)} query:…\``,
            embeds: [],
            components: [],
          }),
        );
        return;
      }
      case "remove": {
        const article = ownState<StoredArticle>(interaction, ctx, key);
        const guildId = await requireEditor(interaction, libraries);
        const removed = await libraries.remove(guildId, article.articleId);
        ctx.state.delete(key);
        await interaction.update(
          toEdit({
            content: removed ? `Removed **${escapeText(article.title)}** (\`${inCode(article.articleId)}\`) from this server's library.` : "It was already removed.",
            components: [],
          }),
        );
        return;
      }
      default:
        throw new UserError("This button no longer works.");
    }
  },
};

/** The details modal: corrections go into the draft and the preview is shown again. */
export const libraryModal: ModalHandler = {
  prefix: LIBRARY_PREFIX,
  async execute(interaction, [, key = ""], ctx) {
    const draft = ownState<LibraryDraft>(interaction, ctx, key);
    const field = (id: string): string => interaction.fields.getTextInputValue(id);
    let edited: LibraryDraft;
    try {
      edited = applyDetails(draft, { title: field("title"), authors: field("authors"), outlet: field("outlet"), published: field("published") });
    } catch (error) {
      if (error instanceof DraftSourceError) throw new UserError(error.message);
      throw error;
    }
    ctx.state.replace(key, edited);
    const preview = draftPreview(edited, key);
    if (interaction.isFromMessage()) await interaction.update(toEdit(preview));
    else await respond(interaction, preview);
  },
};
