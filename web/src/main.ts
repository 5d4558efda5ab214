import "./styles/base.css";

const root = document.getElementById("app");
if (root) {
  root.textContent = "Sluice";
}
