export const initialStore = () => {
  return {
    token: localStorage.getItem("access_token") || null,
    profile: null,
  };
};

export default function storeReducer(store, action = {}) {
  switch (action.type) {
    case "set_token":
      return { ...store, token: action.payload };
    case "set_profile":
      return { ...store, profile: action.payload };
    case "logout":
      return { ...store, token: null, profile: null };
    default:
      throw Error("Unknown action.");
  }
}
